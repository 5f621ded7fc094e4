"""Delivery forecasting with honest confidence.

* flow metrics of a work-item history (:func:`flow_metrics`);
* throughput forecasts, calibrated on the team's own past errors: "when will N items be done"
  (:func:`forecast_when`) and "how many by a date" (:func:`forecast_how_many`), with an
  optional split rate of backlog items into delivered ones (:func:`learn_split_rate`);
* "when will this specific set be done" (:func:`forecast_set`);
* plan-based Monte Carlo of a program's work items (:func:`forecast_plan`);
* the backtest that measures how often each percentile held (:func:`backtest`).
"""

from scaleplan.analysis.forecasting.backtest import (
    BacktestCell,
    BacktestResult,
    MethodScore,
    backtest,
)
from scaleplan.analysis.forecasting.calibration import LEVELS, CalibrationSettings
from scaleplan.analysis.forecasting.flow import FlowMetrics, flow_metrics
from scaleplan.analysis.forecasting.results import Coverage, Percentile, ThroughputForecast
from scaleplan.analysis.forecasting.throughput import (
    SplitRate,
    forecast_how_many,
    forecast_when,
    learn_split_rate,
)

__all__ = [
    "LEVELS",
    "BacktestCell",
    "BacktestResult",
    "CalibrationSettings",
    "Coverage",
    "FlowMetrics",
    "MethodScore",
    "Percentile",
    "SplitRate",
    "ThroughputForecast",
    "backtest",
    "flow_metrics",
    "forecast_how_many",
    "forecast_when",
    "learn_split_rate",
]
