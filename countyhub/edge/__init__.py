"""What the API and the web pages share: the request's session and transaction, the
login and the acting user.

:mod:`~countyhub.edge.transaction` gives every request one session and one
transaction (committed when the response is a success); :mod:`~countyhub.edge.auth`
says who is calling and logs people in and out.  Flask lives here, as in ``api`` and
``web``; the services these call, in ``platform``, never see it.
"""
