import Testing
@testable import DLXInterpreter

/// `safetensors` and `safetensors.torch` in the language: imports, round trips, `safe_open` as a context
/// manager, and the library's exceptions (checked against safetensors 0.8 with PyTorch 2.15).
@Suite struct SafeTensorsBindingsTests {
    let h = Harness()

    @Test func saveLoadAndSafeOpen() throws {
        let dir = try scratchDirectory("safetensors-bindings")
        let out = try h.run("""
            import torch
            from safetensors.torch import save_file, load_file, save, load
            from safetensors import safe_open
            import safetensors
            sd = {"w": torch.arange(6.).view(2, 3), "steps": torch.tensor([1, 2]), "b": torch.tensor([True, False])}
            save_file(sd, '\(dir)/m.safetensors', metadata={"format": "pt"})
            back = load_file('\(dir)/m.safetensors')
            print(list(back), back["w"], back["steps"].dtype)
            with safe_open('\(dir)/m.safetensors', framework="pt", device="cpu") as f:
                print(f.keys(), f.offset_keys(), f.metadata())
                print(f.get_tensor("b"))
            print(load(save({"a": torch.zeros(2)})), safetensors.__version__)
            print(safetensors.torch.load_file('\(dir)/m.safetensors')["steps"])
            """)
        #expect(out == """
            ['steps', 'w', 'b'] tensor([[0., 1., 2.],
                    [3., 4., 5.]]) torch.int64
            ['b', 'steps', 'w'] ['steps', 'w', 'b'] {'format': 'pt'}
            tensor([ True, False])
            {'a': tensor([0., 0.])} 0.8.0
            tensor([1, 2])

            """)
    }

    @Test func theLibrarysErrors() throws {
        let dir = try scratchDirectory("safetensors-errors")
        let a = "a = torch.ones(4)\n"
        h.expectErrors([
            (a + "from safetensors.torch import save_file\nsave_file({'a': a, 'b': a[:2]}, '\(dir)/x')", "RuntimeError",
             "\n            Some tensors share memory, this will lead to duplicate memory on disk and potential differences when loading them "
             + "again: [{'a', 'b'}].\n            A potential way to correctly save your model is to use `save_model`.\n"
             + "            More information at https://huggingface.co/docs/safetensors/torch_shared_tensors\n            "),
            ("from safetensors.torch import save_file\nsave_file({'a': 3}, '\(dir)/x')", "ValueError",
             "Key `a` is invalid, expected torch.Tensor but received <class 'int'>"),
            ("from safetensors.torch import save_file\nsave_file({'a': torch.ones(2, 3).t()}, '\(dir)/x')", "ValueError",
             "You are trying to save a non contiguous tensor: `a` which is not allowed. It either means you are trying to save tensors "
             + "which are reference of each other in which case it's recommended to save only the full tensors, and reslice at load "
             + "time, or simply call `.contiguous()` on your tensor to pack it before saving."),
            ("from safetensors.torch import save_file\nsave_file({1: torch.ones(1)}, '\(dir)/x')", "TypeError",
             "argument 'tensor_dict': 'int' object is not an instance of 'str'"),
            ("from safetensors.torch import save_file\nsave_file({'a': torch.ones(1)}, '\(dir)/x', metadata={'k': 1})", "TypeError",
             "argument 'metadata': 'int' object is not an instance of 'str'"),
            ("from safetensors.torch import load_file\nload_file('\(dir)/nothere')", "FileNotFoundError",
             "No such file or directory: \(dir)/nothere"),
            ("from safetensors import safe_open\nsafe_open('\(dir)/nothere', framework='tf2')", "SafetensorError", "framework tf2 is invalid"),
            ("from safetensors.torch import load\nload(b'\\x01\\x02')", "SafetensorError", "Error while deserializing: header too small"),
        ])
        // SafetensorError is a class that `except` catches.
        #expect(try h.run("""
            from safetensors import SafetensorError
            from safetensors.torch import load
            try:
                load(b'\\x10\\x00\\x00\\x00\\x00\\x00\\x00\\x00{}')
            except SafetensorError as e:
                print('caught:', e)
            """) == "caught: Error while deserializing: invalid header length\n")
    }
}
