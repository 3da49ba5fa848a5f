"""dlx as a Jupyter kernel, held to jupyter_kernel_test's conformance case, plus interrupt, restart,
input() and hostile input over the wire. Run by KernelTests.swift with the kernelspec installed under
JUPYTER_PATH; by hand:

    .build/debug/dlx kernel install --prefix /tmp/k
    JUPYTER_PATH=/tmp/k/share/jupyter .build/test-python/bin/python -m unittest Tests/kernel/test_dlx_kernel.py
"""
import base64
import json
import os
import struct
import time
import unittest

import jupyter_kernel_test
import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 30


class DlxKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "dlx"
    language_name = "python"
    file_extension = ".dlx"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys\nprint('oops', file=sys.stderr)"
    completion_samples = [
        {"text": "pri", "matches": {"print"}},
        {"text": "torch.zer", "matches": {"torch.zeros", "torch.zeros_like"}},
    ]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n    return x\n\n", "x?", "%time 1"]
    incomplete_code_samples = ["print('''hello", "def f(x):", "for i in range(3):\n    print(i)", "x = [1,"]
    invalid_code_samples = ["x = = 1", "1 +* 2"]
    code_page_something = "print?"
    code_generate_error = "raise ValueError('bad')"
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "torch.ones(2)", "result": "tensor([1., 1.])"},
        {"code": "[1, 2]", "result": "[1, 2]"},
    ]
    code_display_data = [
        {"code": "show(torch.rand(8, 8))", "mime": "image/png"},
        {"code": "plot([1.0, 3.0, 2.0])", "mime": "image/svg+xml"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "print"

    def test_dlx_execute_result_is_the_terminals_text(self):
        self.flush_channels()
        reply, outputs = self.execute_helper("x = torch.arange(6).reshape(2, 3)\nx")
        self.assertEqual(reply["content"]["status"], "ok")
        result = [m for m in outputs if m["msg_type"] == "execute_result"][0]
        self.assertEqual(result["content"]["data"]["text/plain"], "tensor([[0, 1, 2],\n        [3, 4, 5]])")
        self.assertEqual(result["content"]["execution_count"], reply["content"]["execution_count"])

    def test_dlx_error_has_ipython_traceback(self):
        self.flush_channels()
        reply, outputs = self.execute_helper("def f():\n    return 1 / 0\nf()")
        self.assertEqual(reply["content"]["ename"], "ZeroDivisionError")
        self.assertEqual(reply["content"]["evalue"], "division by zero")
        text = "\n".join(outputs[0]["content"]["traceback"])
        self.assertIn("Traceback (most recent call last)", text)
        self.assertIn("in f()", text)

    def test_dlx_stop_on_error_aborts_queued_cells(self):
        self.flush_channels()
        # The first cell takes a while before it fails, so the second is surely queued behind it.
        first = self.kc.execute("import time\ntime.sleep(0.3)\nraise ValueError('stop')")
        second = self.kc.execute("print('must not run')")
        replies = {}
        while len(replies) < 2:
            m = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[m["parent_header"]["msg_id"]] = m["content"]["status"]
        self.assertEqual(replies[first], "error")
        self.assertEqual(replies[second], "aborted")

    def test_dlx_silent_and_user_expressions(self):
        self.flush_channels()
        reply, outputs = self.execute_helper("y = 5", silent=True)
        self.assertFalse([m for m in outputs if m["msg_type"] in ("execute_input", "execute_result")])
        msg_id = self.kc.execute("z = y + 1", user_expressions={"a": "z * 2", "b": "nope"})
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        exprs = reply["content"]["user_expressions"]
        self.assertEqual(exprs["a"]["data"]["text/plain"], "12")
        self.assertEqual(exprs["b"]["status"], "error")
        self.assertEqual(exprs["b"]["ename"], "NameError")

    def test_dlx_input_without_stdin_is_ipythons_error(self):
        self.flush_channels()
        msg_id = self.kc.execute("input('name? ')", allow_stdin=False)
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["ename"], "StdinNotImplementedError")

    def test_dlx_input_through_stdin_channel(self):
        self.flush_channels()
        msg_id = self.kc.execute("name = input('name? ')\nprint('hi', name)", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(request["msg_type"], "input_request")
        self.assertEqual(request["content"]["prompt"], "name? ")
        self.kc.input("Ada")
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        texts = []
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["msg_type"] == "stream":
                texts.append(m["content"]["text"])
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        self.assertIn("hi Ada\n", "".join(texts))

    def test_dlx_fit_progress_updates_one_display_in_place(self):
        self.flush_channels()
        code = ("from torch.utils.data import TensorDataset, DataLoader\n"
                "xs = torch.randn(30000, 4)\nys = (xs.sum(1) > 0).long()\n"
                "h = fit(nn.Sequential(nn.Linear(4, 2)), DataLoader(TensorDataset(xs, ys), batch_size=2), epochs=1)")
        reply, outputs = self.execute_helper(code, timeout=120)
        self.assertEqual(reply["content"]["status"], "ok")
        opened = [m for m in outputs if m["msg_type"] == "display_data"]
        updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(opened), 1)
        display_id = opened[0]["content"]["transient"]["display_id"]
        self.assertTrue(opened[0]["content"]["data"]["text/plain"].startswith("Epoch 1/1 "))
        self.assertTrue(updates)
        self.assertTrue(all(m["content"]["transient"]["display_id"] == display_id for m in updates))
        # At most ten a second, whatever the number of batches (15,000 here).
        self.assertLess(len(updates), 200)
        texts = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertIn("Epoch 1/1: train loss", texts)

    def test_dlx_pyplot_figures_are_one_png_each_shown_or_left_open(self):
        self.flush_channels()
        code = ("import matplotlib.pyplot as plt\nfig, axes = plt.subplots(1, 2)\naxes[0].plot([1, 2])\nplt.show()\n"
                "plt.figure(figsize=(3, 2))\nplt.imshow(torch.rand(4, 4))\n1")
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        shown = [m for m in outputs if m["msg_type"] in ("display_data", "execute_result")]
        # plt.show()'s figure, the cell's value, then (as the inline backend) the figure left open.
        self.assertEqual([m["msg_type"] for m in shown], ["display_data", "execute_result", "display_data"])
        sizes = [struct.unpack(">II", base64.b64decode(m["content"]["data"]["image/png"])[16:24]) for m in (shown[0], shown[2])]
        self.assertEqual(sizes, [(640, 480), (300, 200)])
        reply, outputs = self.execute_helper("plt.get_fignums()")
        self.assertEqual([m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"], ["[]"])

    def test_dlx_pil_image_value_is_a_picture(self):
        # As IPython shows a PIL image: its PNG (_repr_png_) beside the repr.
        self.flush_channels()
        reply, outputs = self.execute_helper("from PIL import Image\nImage.new('L', (3, 2), 9)")
        self.assertEqual(reply["content"]["status"], "ok")
        result = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertTrue(result["text/plain"].startswith("<PIL.Image.Image image mode=L size=3x2 at 0x"))
        png = base64.b64decode(result["image/png"])
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(png[16:24], bytes([0, 0, 0, 3, 0, 0, 0, 2]))

    def test_dlx_tqdm_bars_each_update_one_display(self):
        self.flush_channels()
        code = ("from tqdm import tqdm\nimport time\n"
                "for i in tqdm(range(3), desc='a'): time.sleep(0.15)\n"
                "for i in tqdm(range(2), desc='b'): pass")
        reply, outputs = self.execute_helper(code, timeout=60)
        self.assertEqual(reply["content"]["status"], "ok")
        opened = [m for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual(len(opened), 2)
        ids = [m["content"]["transient"]["display_id"] for m in opened]
        self.assertNotEqual(ids[0], ids[1])
        last = {}
        for m in outputs:
            if m["msg_type"] in ("display_data", "update_display_data"):
                last[m["content"]["transient"]["display_id"]] = m["content"]["data"]["text/plain"]
        self.assertTrue(last[ids[0]].startswith("a: 100%|"), last)
        self.assertIn("3/3 [", last[ids[0]])
        self.assertTrue(last[ids[1]].startswith("b: 100%|"), last)

    def test_dlx_comm_info_is_empty(self):
        self.flush_channels()
        self.kc.comm_info()
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        self.assertEqual(reply["content"], {"status": "ok", "comms": {}})


class LifecycleTests(unittest.TestCase):
    """Interrupt, restart, shutdown, and what a hostile or vanished client cannot do."""

    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name="dlx")

    def tearDown(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=TIMEOUT):
        return self.kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: None)

    def test_interrupt_stops_a_running_cell(self):
        self.kc.execute("while True:\n    pass")
        time.sleep(0.5)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        # The session goes on.
        self.assertEqual(self.run_cell("1")["content"]["status"], "ok")

    def test_interrupt_request_on_control(self):
        self.kc.execute("while True:\n    pass")
        time.sleep(0.5)
        msg = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")

    def test_restart_gives_a_fresh_session(self):
        self.run_cell("a = 1")
        self.km.restart_kernel()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        reply = self.run_cell("a")
        self.assertEqual(reply["content"]["ename"], "NameError")

    def test_shutdown_ends_the_process(self):
        self.kc.shutdown()
        reply = self.kc.get_control_msg(timeout=TIMEOUT) if hasattr(self.kc, "get_control_msg") else None
        if reply is not None:
            self.assertEqual(reply["content"]["status"], "ok")
        for _ in range(100):
            if not self.km.is_alive():
                break
            time.sleep(0.05)
        self.assertFalse(self.km.is_alive())
        self.assertEqual(self.km.provisioner.process.returncode if self.km.provisioner else 0, 0)

    # -- bad input over the wire --

    def raw_shell(self):
        ci = self.km.get_connection_info()
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"{ci['transport']}://{ci['ip']}:{ci['shell_port']}")
        return sock, Session(key=ci["key"] if isinstance(ci["key"], bytes) else ci["key"].encode())

    def assert_still_serving(self):
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")

    def test_wrong_signature_is_dropped_and_never_runs(self):
        sock, session = self.raw_shell()
        marker = "/tmp/dlx-kernel-unsigned-%d" % os.getpid()
        msg = session.msg("execute_request", {"code": "open(%r, 'w').write('ran')" % marker, "silent": False,
                                              "store_history": True, "user_expressions": {}, "allow_stdin": False})
        frames = session.serialize(msg)
        frames[1] = b"0" * len(frames[1])   # a forged signature
        sock.send_multipart(frames)
        bad_key = Session(key=b"not-the-key")
        sock.send_multipart(bad_key.serialize(msg))
        time.sleep(0.5)
        self.assertFalse(os.path.exists(marker))
        self.assert_still_serving()
        sock.close()

    def test_malformed_messages_are_dropped(self):
        sock, session = self.raw_shell()
        sock.send_multipart([b"garbage"])
        sock.send_multipart([b"<IDS|MSG>", b"sig"])
        # Correctly signed frames that are not JSON, or not objects, or lack a msg_type.
        for parts in ([b"{not json", b"{}", b"{}", b"{}"], [b"[1]", b"{}", b"{}", b"{}"], [b"{}", b"{}", b"{}", b"{}"],
                      [b'{"msg_type": "execute_request"}', b"{}", b"{}", b'"x"'], [b"[" * 100000, b"{}", b"{}", b"{}"]):
            sock.send_multipart([b"<IDS|MSG>", session.sign(parts)] + parts)
        self.assert_still_serving()
        sock.close()

    def test_unknown_message_types_are_ignored(self):
        sock, session = self.raw_shell()
        sock.send_multipart(session.serialize(session.msg("no_such_request", {})))
        self.assert_still_serving()
        sock.close()

    def test_huge_messages_do_not_stop_the_kernel(self):
        sock, session = self.raw_shell()
        # Larger than the kernel takes (64 MB): dropped with the peer; then a large but acceptable cell runs.
        sock.send_multipart([b"x" * (65 << 20)])
        sock.close()
        self.assert_still_serving()
        reply = self.run_cell("s = '" + "a" * (4 << 20) + "'\nlen(s)", timeout=120)
        self.assertEqual(reply["content"]["status"], "ok")

    def test_client_that_disappears_mid_execution(self):
        self.kc.execute("import time\nfor i in range(30):\n    print(i)\n    time.sleep(0.05)")
        self.kc.stop_channels()   # gone without waiting for the reply
        time.sleep(0.3)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.assertEqual(self.run_cell("print('still here')")["content"]["status"], "ok")


if __name__ == "__main__":
    unittest.main()
