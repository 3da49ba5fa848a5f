"""Lesson 1 as a notebook, executed by nbclient on the dlx kernel, against the terminal's transcript.

usage: lesson_notebook.py DLX LESSON WORKDIR

Writes the lesson (one epoch, and a picture at the end) as a notebook with `dlx --ipynb`, which also
records what every cell showed at the terminal; clears the outputs, executes the notebook with nbclient
on the kernel named dlx, and checks each cell's printed text and value against the terminal's, and that
the picture arrives as PNG. Prints the wall time of the nbclient run.
"""
import base64
import copy
import os
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient

dlx, lesson, work = sys.argv[1:4]
source = open(lesson).read().replace("epochs = 5", "epochs = 1") + "\n# A picture.\nshow(x_0_tensor)\n"
script = os.path.join(work, "lesson.dlx")
notebook = os.path.join(work, "lesson.ipynb")
with open(script, "w") as f:
    f.write(source)
subprocess.run([dlx, "--ipynb", notebook, script], check=True, cwd=work, stdout=subprocess.DEVNULL)

terminal = nbformat.read(notebook, as_version=4)
nb = copy.deepcopy(terminal)
for cell in nb.cells:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
nb.metadata["kernelspec"] = {"name": "dlx", "display_name": "dlx", "language": "python"}

start = time.time()
NotebookClient(nb, kernel_name="dlx", timeout=600, resources={"metadata": {"path": work}}).execute()
print("nbclient wall time: %.2f s" % (time.time() - start))


def shown(cell):
    """A cell's printed text and value text, and the MIME types of its pictures."""
    text, values, pictures = "", [], []
    for o in cell.outputs:
        if o.output_type == "stream":
            text += o.text
        elif o.output_type == "execute_result":
            values.append(o.data["text/plain"])
        elif o.output_type == "display_data":
            pictures.append(o.data)
        elif o.output_type == "error":
            values.append("error: %s: %s" % (o.ename, o.evalue))
    return text, values, pictures


failures = 0
png = 0
for k, (want, got) in enumerate(zip(terminal.cells, nb.cells)):
    if want.cell_type != "code":
        continue
    w_text, w_values, w_pictures = shown(want)
    g_text, g_values, g_pictures = shown(got)
    if (w_text, w_values) != (g_text, g_values):
        failures += 1
        print("cell %d differs:\n  source: %r\n  terminal: %r %r\n  kernel:   %r %r" % (k, got.source, w_text, w_values, g_text, g_values))
    if len(w_pictures) != len(g_pictures):
        failures += 1
        print("cell %d: %d pictures at the terminal, %d from the kernel" % (k, len(w_pictures), len(g_pictures)))
    for data in g_pictures:
        if "image/png" not in data or not base64.b64decode(data["image/png"]).startswith(b"\x89PNG\r\n\x1a\n"):
            failures += 1
            print("cell %d: a picture that is not PNG: %s" % (k, sorted(data)))
        else:
            png += 1
cells = sum(1 for c in nb.cells if c.cell_type == "code")
print("%d code cells, %d differ, %d PNG pictures" % (cells, failures, png))
sys.exit(1 if failures or png == 0 else 0)
