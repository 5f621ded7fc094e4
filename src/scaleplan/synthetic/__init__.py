"""Synthetic data for benchmarks, tests and demos.

:mod:`scaleplan.synthetic.program` generates program repositories of any size from a seed.
Generators for other kinds of data (work-item histories, deploy and incident events) get a
module of their own here.
"""

from scaleplan.synthetic.program import DEFAULT_START, document_counts, generate_program
from scaleplan.synthetic.write import write_program

__all__ = ["DEFAULT_START", "document_counts", "generate_program", "write_program"]
