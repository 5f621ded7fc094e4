"""Background jobs: long analyses run off the request, one at a time, with progress to poll.

A job is keyed (e.g. ``"<version>:roadmap"``) so asking twice for the same work returns the
same job. One worker thread runs them in submission order: analyses are CPU-bound and the
dashboard must keep answering while they run.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

JobState = Literal["queued", "running", "done", "failed"]

#: Finished jobs kept for polling before the oldest are forgotten.
KEEP_FINISHED = 200


@dataclass
class Job:
    id: str
    key: str
    title: str
    state: JobState = "queued"
    #: 0.0-1.0
    progress: float = 0.0
    message: str = "queued"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    error: str | None = None
    result: Any = None
    done_event: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "state": self.state,
            "progress": round(self.progress, 3),
            "message": self.message,
            "seconds": round((self.finished or time.time()) - (self.started or self.created), 3),
            "error": self.error,
        }


Progress = Callable[[float, str], None]


class JobManager:
    """Runs keyed jobs on one worker thread and remembers them for polling."""

    def __init__(self, workers: int = 1) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scaleplan-job")
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._by_key: dict[str, Job] = {}
        self._ids = itertools.count(1)

    def submit(self, key: str, title: str, work: Callable[[Progress], Any]) -> Job:
        """The job for ``key``: the existing one, or a new one running ``work(progress)``."""
        with self._lock:
            job = self._by_key.get(key)
            if job is not None and job.state != "failed":
                return job
            job = Job(id=f"j{next(self._ids)}", key=key, title=title)
            self._jobs[job.id] = job
            self._by_key[key] = job
            self._forget_old()
        self._executor.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: Job, work: Callable[[Progress], Any]) -> None:
        def progress(share: float, message: str) -> None:
            job.progress = min(max(share, 0.0), 1.0)
            job.message = message

        job.state = "running"
        job.started = time.time()
        job.message = "running"
        try:
            job.result = work(progress)
        except Exception as exc:  # reported through the job, never raised into the worker
            job.error = f"{type(exc).__name__}: {exc}"
            job.state = "failed"
            job.message = "failed"
        else:
            job.state = "done"
            job.progress = 1.0
            job.message = "done"
        finally:
            job.finished = time.time()
            job.done_event.set()

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
        for job in finished[: max(len(finished) - KEEP_FINISHED, 0)]:
            self._jobs.pop(job.id, None)
            if self._by_key.get(job.key) is job:
                self._by_key.pop(job.key, None)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


__all__ = ["Job", "JobManager", "JobState", "Progress"]
