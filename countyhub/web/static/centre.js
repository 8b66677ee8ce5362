/* Scan-in without waiting: each scan is sent in the background to the page's
   JSON endpoint, so that the field is free at once for the next one.  Scans are
   queued and sent one after another, so none is dropped and their answers come
   in the order scanned; each answer joins the list (newest on top) with a tone:
   a short high one when received, a longer low one for a problem.  Without this
   script the form simply posts and the page answers. */
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var list = document.getElementById("answers");
  if (!form || !list || !window.fetch || !window.FormData) return;
  var field = form.elements.waybill;
  var url = form.getAttribute("data-json");
  var token = form.elements.csrf_token.value;
  var queue = [];
  var busy = false;
  var audio = null;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!field.value.trim()) return;
    var data = new FormData(form);
    field.value = "";
    form.elements.courier.value = "";
    field.focus();
    queue.push({ data: data, item: placeholder(data.get("waybill").trim()) });
    next();
  });

  function placeholder(waybill) {
    var item = document.createElement("li");
    item.className = "scan-answer sending";
    var line = document.createElement("p");
    line.className = "verdict";
    line.textContent = waybill + " — " + list.getAttribute("data-sending");
    item.appendChild(line);
    list.insertBefore(item, list.firstChild);
    return item;
  }

  function next() {
    if (busy || !queue.length) return;
    busy = true;
    var job = queue.shift();
    fetch(url, {
      method: "POST",
      body: job.data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(function (response) { return response.json(); })
      .then(function (body) { answer(job.item, body.html, body.ok); })
      .catch(function () { failed(job.item); })
      .then(function () { busy = false; next(); });
  }

  function answer(item, html, ok) {
    item.insertAdjacentHTML("beforebegin", html);
    item.remove();
    tone(ok);
  }

  function failed(item) {
    item.className = "scan-answer bad";
    var text = document.createElement("p");
    text.className = "detail";
    text.textContent = list.getAttribute("data-failed");
    item.appendChild(text);
    tone(false);
  }

  function tone(ok) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = audio || new Context();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      var seconds = ok ? 0.12 : 0.6;
      var now = audio.currentTime;
      oscillator.type = ok ? "sine" : "square";
      oscillator.frequency.value = ok ? 1320 : 220;
      gain.gain.setValueAtTime(0.2, now);
      gain.gain.exponentialRampToValueAtTime(0.001, now + seconds);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(now);
      oscillator.stop(now + seconds);
    } catch (error) { /* no sound: the list still says it */ }
  }
})();
