# Harness of the python_tests scorer, run inside the sandbox. It loads the candidate solution, calls its entry
# point on each hidden test's arguments and reports every return value as one JSON record on a private copy
# of stdout. It never sees the expected values: the host compares them, so whatever the candidate does in this
# process (exit early, patch this module, print fake results) it cannot make a wrong answer pass.
import copy
import json
import os
import signal
import sys
import time


class _TestTimeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _TestTimeout()


def _describe(error):
    text = f"{type(error).__name__}: {error}"
    return text[:500]


def main():
    request = json.loads(sys.stdin.readline())
    nonce = request["nonce"]
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # the candidate's prints go to stderr and cannot interleave with records
    sys.stdin.close()

    def emit(record):
        record["n"] = nonce
        channel.write(json.dumps(record, allow_nan=False) + "\n")
        channel.flush()

    namespace = {"__name__": "solution"}  # so an `if __name__ == "__main__":` demo block does not run
    try:
        with open("/input/solution.py", encoding="utf-8") as f:
            source = f.read()
        exec(compile(source, "solution.py", "exec"), namespace)
    except BaseException as e:  # SystemExit and KeyboardInterrupt included: exiting while loading is a failure
        emit({"t": "load", "ok": False, "error": _describe(e)})
        return
    entry = namespace.get(request["entryPoint"])
    if not callable(entry):
        emit({"t": "load", "ok": False, "error": f"no function named {request['entryPoint']!r}"})
        return
    emit({"t": "load", "ok": True})

    signal.signal(signal.SIGALRM, _on_alarm)
    limit = float(request["perTestSeconds"])
    max_chars = int(request["maxValueChars"])
    for index, args in enumerate(request["cases"]):
        started = time.perf_counter()
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                value = entry(*copy.deepcopy(args))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            text = json.dumps(value, allow_nan=False)
            if len(text) > max_chars:
                raise ValueError(f"return value longer than {max_chars} characters as JSON")
            record = {"t": "case", "i": index, "ok": True, "value": json.loads(text)}
        except _TestTimeout:
            record = {"t": "case", "i": index, "ok": False, "error": f"timed out after {limit} s"}
        except BaseException as e:  # sys.exit, SkipTest, anything: the test did not pass
            record = {"t": "case", "i": index, "ok": False, "error": _describe(e)}
        record["ms"] = round((time.perf_counter() - started) * 1000, 3)
        emit(record)
    emit({"t": "done"})


main()
