/* countyhub: what JavaScript adds to the depot's forms (each works without it).
   - The register form: the waybill number is checked as it is typed, by the
     page's JSON check (the courier's own rule, on the server; never copied here).
   - The upload form: the file is sent by XHR with a progress bar; the answer
     (the report page, or the form with its problem) then replaces the page. */
(function () {
  "use strict";

  function checkAsTyped(form) {
    var input = form.querySelector("#waybill");
    var out = form.querySelector("#waybill-check");
    var depot = form.querySelector("#depot");
    if (!input || !out) return;
    var timer = null, asked = 0;
    function ask() {
      var number = input.value.trim();
      if (!number) { out.textContent = ""; out.className = "check"; return; }
      var url = form.getAttribute("data-check") + "?waybill=" + encodeURIComponent(number) +
        (depot ? "&depot=" + encodeURIComponent(depot.value) : "");
      var mine = ++asked;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) {
          if (!v || mine !== asked) return;
          out.textContent = v.ok ? (v.message ? "⚠ " + v.message : "✓") : (v.message || "");
          out.className = "check " + (v.ok ? "ok" : "bad");
          out.setAttribute("lang", v.ok && !v.message ? "" : "en");
        })
        .catch(function () { /* the server checks again on posting */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    if (depot) depot.addEventListener("change", ask);
  }

  function uploadWithProgress(form) {
    var box = form.querySelector(".progress");
    var bar = form.querySelector("progress");
    var said = box && box.querySelector("[aria-live]");
    if (!box || !bar || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      var file = form.querySelector("input[type=file]");
      if (!file || !file.files.length) return; // the server says what is missing
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      box.hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.round((100 * e.loaded) / e.total);
        bar.value = pct;
        bar.textContent = pct + " %";
      });
      xhr.upload.addEventListener("load", function () {
        bar.value = 100;
        if (said) said.textContent = said.getAttribute("data-done");
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 200 && xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL); // the report page
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-check]").forEach(checkAsTyped);
  document.querySelectorAll("form[data-progress]").forEach(uploadWithProgress);
})();
