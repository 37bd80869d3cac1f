"""Length-prefixed frames over a pipe between a web process and one of its search processes.

Why not multiprocessing's queues: a `ProcessPoolExecutor` call cost the web process a work item,
a wake-up of its manager thread, a feeder thread pickling the call, and on the way back the
manager thread unpickling the result and completing two Futures, about as much of its GIL as an
ack. Here the web process writes one frame, from the thread that acknowledged the request, to a
pipe made large (`PIPE_BYTES`) and non-blocking: if the search process is so far behind that the
pipe is full, the write fails at once (the request is answered "very busy") instead of holding
the ack. The search process reads with ordinary blocking reads.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import threading
from array import array
from collections.abc import Iterator

HEADER = struct.Struct("!I")
PIPE_BYTES = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size: some thousand jobs of a few hundred bytes
ATOMIC_BYTES = select.PIPE_BUF  # a write this small to a pipe is all or nothing
READ_BYTES = 1 << 16
CLOSE_WAIT_SECONDS = 10.0


class FrameWriter:
    """Writes frames to a pipe without ever blocking the caller (`offer`), or waiting for room (`put`)."""

    def __init__(self, fd: int, size: int = PIPE_BYTES):
        self.fd = fd
        try:
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
        except (AttributeError, OSError):  # not Linux, or above the system's limit: keep the default
            pass
        try:
            self.capacity = fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        except (AttributeError, OSError):
            self.capacity = ATOMIC_BYTES
        os.set_blocking(fd, False)
        self._lock = threading.Lock()

    def offer(self, payload: bytes) -> bool:
        """Write one frame now if the pipe has room for all of it, else write nothing and return False.
        Raises OSError (BrokenPipeError) if the reader is gone."""
        frame = HEADER.pack(len(payload)) + payload
        with self._lock:
            if self.fd < 0:
                raise BrokenPipeError("the pipe is closed")
            if len(frame) > ATOMIC_BYTES and self.unread() + len(frame) > self.capacity:
                return False
            try:
                written = os.write(self.fd, frame)
            except BlockingIOError:
                return False
            if written < len(frame):  # only possible past ATOMIC_BYTES, and the room was checked
                self._finish(frame[written:])
            return True

    def put(self, payload: bytes, timeout: float = CLOSE_WAIT_SECONDS) -> bool:
        """Write one frame, waiting up to `timeout` for room (used to stop a search process)."""
        frame = HEADER.pack(len(payload)) + payload
        with self._lock:
            if self.fd < 0:
                raise BrokenPipeError("the pipe is closed")
            return self._finish(frame, timeout)

    def unread(self) -> int:
        """Bytes in the pipe not yet read by the other side."""
        count = array("i", [0])
        fcntl.ioctl(self.fd, termios.FIONREAD, count, True)
        return count[0]

    def _finish(self, rest: bytes, timeout: float = CLOSE_WAIT_SECONDS) -> bool:
        while rest:
            _, writable, _ = select.select([], [self.fd], [], timeout)
            if not writable:
                return False
            try:
                rest = rest[os.write(self.fd, rest):]
            except BlockingIOError:
                continue
        return True

    def close(self) -> None:
        """Close the pipe (once): the reader sees its end once it has read what was written."""
        with self._lock:
            fd, self.fd = self.fd, -1
            if fd >= 0:
                os.close(fd)


def write_frame(fd: int, payload: bytes, lock: threading.Lock) -> None:
    """Write one frame to a blocking pipe, whole, with other writers held off by `lock`."""
    frame = memoryview(HEADER.pack(len(payload)) + payload)
    with lock:
        while frame:
            frame = frame[os.write(fd, frame):]


def read_frames(fd: int) -> Iterator[list[bytes]]:
    """Every frame that arrives on `fd`, in batches (all those a read brought in), until end of file."""
    buffer = bytearray()
    while True:
        chunk = os.read(fd, READ_BYTES)
        if not chunk:
            return
        buffer += chunk
        frames = []
        start = 0
        while len(buffer) - start >= HEADER.size:
            (length,) = HEADER.unpack_from(buffer, start)
            end = start + HEADER.size + length
            if end > len(buffer):
                break
            frames.append(bytes(buffer[start + HEADER.size:end]))
            start = end
        del buffer[:start]
        if frames:
            yield frames
