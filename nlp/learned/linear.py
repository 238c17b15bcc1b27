"""L2-regularised logistic regression over sparse binary features, in numpy.

Rows are index lists (the features present); fitting uses L-BFGS with a backtracking line
search from a zero start, so a fit is deterministic. ``platt`` maps held-out scores to
calibrated probabilities (a one-feature logistic regression on the score).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


@dataclass(frozen=True)
class SparseRows:
    """Binary rows in CSR form: row i holds ``indices[indptr[i]:indptr[i + 1]]``."""

    indptr: np.ndarray
    indices: np.ndarray
    n_features: int

    @classmethod
    def from_lists(cls, rows: list[list[int]], n_features: int) -> SparseRows:
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        flat = [i for row in rows for i in row]
        return cls(indptr, np.asarray(flat, dtype=np.int32), n_features)

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Row sums of the weights of the present features."""
        rows = np.repeat(np.arange(self.n_rows), np.diff(self.indptr))
        return np.bincount(rows, weights=weights[self.indices], minlength=self.n_rows)

    def transpose_dot(self, values: np.ndarray) -> np.ndarray:
        """For each feature, the sum of ``values`` over the rows that hold it."""
        repeated = np.repeat(values, np.diff(self.indptr))
        return np.bincount(self.indices, weights=repeated, minlength=self.n_features)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def logistic_objective(rows: SparseRows, y: np.ndarray, l2: float,
                       positive_weight: float = 1.0) -> Objective:
    """Mean log-loss plus ``l2 / 2 * |w|^2`` (the bias, last, is not penalised)."""
    sample = np.where(y > 0, positive_weight, 1.0)
    total = sample.sum()

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        weights, bias = params[:-1], params[-1]
        z = rows.dot(weights) + bias
        loss = np.logaddexp(0.0, z) - y * z
        value = float((sample * loss).sum() / total + 0.5 * l2 * weights @ weights)
        residual = sample * (sigmoid(z) - y) / total
        grad = np.empty_like(params)
        grad[:-1] = rows.transpose_dot(residual) + l2 * weights
        grad[-1] = residual.sum()
        return value, grad

    return objective


def lbfgs(objective: Objective, start: np.ndarray, max_iter: int = 300, memory: int = 10,
          tol: float = 1e-6) -> np.ndarray:
    """Minimise a smooth function with limited-memory BFGS."""
    x = start.astype(np.float64)
    value, grad = objective(x)
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(max_iter):
        if np.abs(grad).max() < tol:
            break
        direction = -_two_loop(grad, steps)
        slope = grad @ direction
        if slope >= 0:
            direction, slope = -grad, -(grad @ grad)
        step = 1.0
        while True:
            candidate = x + step * direction
            new_value, new_grad = objective(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, g_diff = candidate - x, new_grad - grad
        curvature = s @ g_diff
        if curvature > 1e-12:
            steps = [*steps[-(memory - 1):], (s, g_diff, 1.0 / curvature)]
        improved = value - new_value
        x, value, grad = candidate, new_value, new_grad
        if 0 <= improved < 1e-10 * max(1.0, abs(value)):
            break
    return x


def _two_loop(grad: np.ndarray, steps: list[tuple[np.ndarray, np.ndarray, float]]
              ) -> np.ndarray:
    q = grad.copy()
    alphas = []
    for s, y, rho in reversed(steps):
        alpha = rho * (s @ q)
        q -= alpha * y
        alphas.append(alpha)
    if steps:
        s, y, _ = steps[-1]
        q *= (s @ y) / (y @ y)
    else:
        q /= max(1.0, float(np.linalg.norm(grad)))
    for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=True):
        q += s * (alpha - rho * (y @ q))
    return q


def fit_logistic(rows: SparseRows, y: np.ndarray, l2: float, positive_weight: float = 1.0,
                 max_iter: int = 150) -> np.ndarray:
    """Weights (one per feature) and the bias, last."""
    start = np.zeros(rows.n_features + 1)
    return lbfgs(logistic_objective(rows, y.astype(np.float64), l2, positive_weight), start,
                 max_iter=max_iter, tol=1e-5)


def platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) so that sigmoid(a * score + b) is calibrated on held-out scores."""
    y = y.astype(np.float64)
    # Platt's targets: the labels pulled a little toward the middle, against overconfidence
    n_pos, n_neg = y.sum(), len(y) - y.sum()
    targets = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        z = params[0] * scores + params[1]
        loss = np.logaddexp(0.0, z) - targets * z
        residual = (sigmoid(z) - targets) / len(scores)
        return float(loss.mean()), np.array([residual @ scores, residual.sum()])

    a, b = lbfgs(objective, np.array([1.0, 0.0]), max_iter=200)
    return float(a), float(b)
