"""Executes one notebook headless through Jupyter's nbclient with the .NET Interactive kernel
`.net-csharp` (scripts/setup.sh registers it), for `milan notebook run` and `milan reproduce`
(src/Milan.Cli/Notebooks/JupyterNotebookRunner.cs embeds this file and runs it with /usr/bin/python3).

Usage: execute_notebook.py <notebook> <output> <cell-timeout-seconds, 0: none> <stop-on-error 0|1> <summary.json>
Writes the executed notebook to <output> (also after a failing cell) and the outcome to <summary.json>."""
import atexit
import json
import math
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL = ".net-csharp"
source, output, timeout, stop_on_error, summary_path = sys.argv[1:6]
timeout, stop_on_error = float(timeout), stop_on_error == "1"
started = time.monotonic()


def finish(status, notebook=None, message=None, written=None):
    code = [c for c in notebook.cells if c.cell_type == "code"] if notebook else []
    summary = {
        "notebook": source, "output": written, "status": status, "codeCells": len(code),
        "executedCells": sum(1 for c in code if c.get("execution_count") is not None),
        "failedCells": sum(1 for c in code if any(o.get("output_type") == "error" for o in c.get("outputs", []))),
        "seconds": round(time.monotonic() - started, 2), "message": message,
    }
    if status == "ok" and summary["failedCells"] > 0:
        summary["status"] = "failed"
    with open(summary_path + ".partial", "w") as f:
        json.dump(summary, f)
    os.replace(summary_path + ".partial", summary_path)
    sys.exit(0)


try:
    notebook = nbformat.read(source, as_version=4)
    nbformat.validate(notebook)
except nbformat.reader.NotJSONError:
    finish("rejected", message="not a JSON notebook")
except Exception as e:  # any other unreadable or invalid file is a rejected notebook too
    finish("rejected", message=f"not a valid notebook: {str(e).splitlines()[0] if str(e) else type(e).__name__}")

code_cells = sum(1 for c in notebook.cells if c.cell_type == "code")
# A kernel that dies before its first cell is started again: the .NET Interactive kernel's HTTP server can find
# the port it picked taken ("Failed to bind to address http://127.0.0.1:41625: address already in use", seen in
# a demo run; most likely a port of the connection file, which Jupyter chooses and releases before the start).
START_ATTEMPTS = 3
done = [0]
running = [None]


def on_cell_start(cell, cell_index, **_):
    running[0] = cell


def on_cell_executed(cell, cell_index, execute_reply, **_):
    done[0] += 1
    failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
    print(f"  cell {done[0]}/{code_cells}{' error' if failed else ''} ({time.monotonic() - started:.1f} s)", flush=True)


def execute(notebook):
    client = NotebookClient(
        notebook, kernel_name=KERNEL, timeout=None if timeout == 0 else max(1, math.ceil(timeout)), allow_errors=not stop_on_error,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
        on_cell_start=on_cell_start, on_cell_executed=on_cell_executed)
    try:
        client.execute()
    except CellTimeoutError:
        message = f"a cell timed out after {timeout:g} s"
        if running[0] is not None:  # the cell keeps what it printed so far, and says why it stopped
            running[0].outputs.append(nbformat.v4.new_output(
                "error", ename="TimeoutError", evalue=message, traceback=[f"TimeoutError: {message} (--cell-timeout)"]))
        return "timed-out", message
    except CellExecutionError as e:
        return "failed", (e.ename or "error") + ": " + (e.evalue or "").splitlines()[0] if e.evalue else e.ename
    except DeadKernelError as e:
        return "crashed", f"the kernel died: {e}"
    except Exception as e:  # the kernel could not start, or Jupyter failed
        return "crashed", f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    finally:
        release(client)
    return "ok", None


def release(client):
    """nbclient registers an exit hook that shuts the kernel down before it starts one, and removes it only
    after a run that started; when the start fails the hook stays and fails at exit ("Exception ignored in
    atexit callback ... AssertionError", once per attempt). Shut down whatever is left here instead."""
    if client.km is not None:
        try:
            client._cleanup_kernel()
        except Exception as e:  # nothing more can be done for a kernel that will not stop
            print(f"  could not shut the kernel down: {type(e).__name__}: {e}", flush=True)
    atexit.unregister(client._cleanup_kernel)


for attempt in range(1, START_ATTEMPTS + 1):
    status, message = execute(notebook)
    if status != "crashed" or running[0] is not None or attempt == START_ATTEMPTS:
        break
    print(f"  the kernel died before the first cell ({message}); starting another, attempt {attempt + 1} of {START_ATTEMPTS}",
          flush=True)
    notebook = nbformat.read(source, as_version=4)

os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
partial = output + ".partial"
nbformat.write(notebook, partial)
os.replace(partial, output)
finish(status, notebook, message, written=output)
