"""The business case of a mesh migration: overhead, cost, cash flow and investment metrics.

Modules, from the estate to the money:

* :mod:`.coverage` - the month grid and the share of the estate meshed each month
  (a wave counts from its end date);
* :mod:`.overhead`, :mod:`.timeline` - proxy and control-plane requests, per wave and
  per month; :mod:`.quantities` parses Kubernetes quantities;
* :mod:`.pricing` - requests as money (OpenCost prices, GB = GiB) and as nodes;
* :mod:`.observability`, :mod:`.latency` - monitoring load and added latency;
* :mod:`.cashflow`, :mod:`.metrics` - the monthly cash flow (cash lands at month end)
  and ROI, NPV, IRR, payback;
* :mod:`.sensitivity`, :mod:`.montecarlo`, :mod:`.scenarios` - what moves the result;
* :mod:`.model` - the cached basis and one evaluation of the whole.
"""
