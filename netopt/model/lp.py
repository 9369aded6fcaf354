"""A linear program as named blocks of variables and constraints over one sparse matrix.

Blocks carry labels (a DataFrame of coordinates per variable or row), so a value or a
dual is read back by what it means, never by a solver index. Assembly stacks
per-block COO triplets into one CSR matrix: no Python loop per variable or nonzero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["Block", "LinearProgram", "LPBuilder"]


@dataclass(frozen=True)
class Block:
    """A named, labelled range of variables or constraint rows."""

    name: str
    start: int
    stop: int
    labels: pd.DataFrame  # one row per variable / constraint, coordinates as columns

    @property
    def size(self) -> int:
        """Number of variables or constraints in the block."""
        return self.stop - self.start

    def take(self, vector: np.ndarray) -> np.ndarray:
        """This block's slice of a full-length vector."""
        return vector[self.start:self.stop]


@dataclass
class LinearProgram:
    """min c'x  s.t.  row_lower <= A x <= row_upper,  col_lower <= x <= col_upper.

    ``objective_scale`` converts the LP objective to the network's currency: costs
    enter the LP per average hour of the horizon (keeps coefficients near 1e2-1e3) and
    are multiplied back by the horizon's hours.
    """

    c: np.ndarray
    A: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    variables: dict[str, Block]
    constraints: dict[str, Block]
    objective_scale: float = 1.0
    name: str = "netopt"
    integrality: np.ndarray | None = None  # True for integer columns; None for an LP

    @property
    def is_mip(self) -> bool:
        """True when some columns are integer."""
        return self.integrality is not None and bool(self.integrality.any())

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self.A.shape

    def stats(self) -> dict[str, float]:
        """Sizes and coefficient ranges (for conditioning reports)."""
        def rng(v):
            v = np.abs(v[np.isfinite(v) & (v != 0)])
            return (float(v.min()), float(v.max())) if v.size else (0.0, 0.0)
        return {"rows": self.A.shape[0], "columns": self.A.shape[1], "nonzeros": self.A.nnz,
                "matrix_range": rng(self.A.data), "cost_range": rng(self.c),
                "bound_range": rng(np.concatenate([self.col_lower, self.col_upper])),
                "rhs_range": rng(np.concatenate([self.row_lower, self.row_upper]))}


@dataclass
class LPBuilder:
    """Collects blocks, then builds one `LinearProgram`."""

    _cols: list = field(default_factory=list)   # (cost, lower, upper) arrays per block
    _rows: list = field(default_factory=list)   # (lower, upper) per block
    _trip: list = field(default_factory=list)   # (row, col, value) global indices
    _int: list = field(default_factory=list)    # integrality per block
    variables: dict = field(default_factory=dict)
    constraints: dict = field(default_factory=dict)
    n_cols: int = 0
    n_rows: int = 0

    def add_variables(self, name: str, labels: pd.DataFrame, cost, lower=0.0,
                      upper=np.inf, integer: bool = False) -> Block:
        """Add one variable per row of ``labels``; scalars broadcast."""
        n = len(labels)
        arrays = [np.broadcast_to(np.asarray(a, dtype=float), (n,)) for a in (cost, lower, upper)]
        self._cols.append(arrays)
        self._int.append(np.full(n, integer))
        block = Block(name, self.n_cols, self.n_cols + n, labels.reset_index(drop=True))
        self.variables[name] = block
        self.n_cols += n
        return block

    def add_constraints(self, name: str, labels: pd.DataFrame, rows, cols, values,
                        lower, upper) -> Block:
        """Add one row per row of ``labels``.

        ``rows`` index into this block (0..n-1), ``cols`` are global column indices
        (``block.start + i``); duplicates are summed.
        """
        n = len(labels)
        self._rows.append([np.broadcast_to(np.asarray(a, dtype=float), (n,))
                           for a in (lower, upper)])
        self._trip.append((np.asarray(rows, dtype=np.int64) + self.n_rows,
                           np.asarray(cols, dtype=np.int64), np.asarray(values, dtype=float)))
        block = Block(name, self.n_rows, self.n_rows + n, labels.reset_index(drop=True))
        self.constraints[name] = block
        self.n_rows += n
        return block

    def build(self, objective_scale: float = 1.0, name: str = "netopt") -> LinearProgram:
        """Stack every block into one CSR matrix and flat vectors."""
        def cat(parts, i):
            return (np.concatenate([p[i] for p in parts]) if parts else np.zeros(0))
        if self._trip:
            r, c, v = (np.concatenate([t[i] for t in self._trip]) for i in range(3))
        else:
            r = c = np.zeros(0, dtype=np.int64)
            v = np.zeros(0)
        A = sp.csr_matrix((v, (r, c)), shape=(self.n_rows, self.n_cols))
        A.sum_duplicates()
        A.eliminate_zeros()
        integer = np.concatenate(self._int) if self._int else np.zeros(0, bool)
        return LinearProgram(cat(self._cols, 0), A, cat(self._rows, 0), cat(self._rows, 1),
                             cat(self._cols, 1), cat(self._cols, 2), dict(self.variables),
                             dict(self.constraints), objective_scale, name,
                             integer if integer.any() else None)
