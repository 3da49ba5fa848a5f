/// Help for PIL images and tqdm: the `PIL.Image` and `tqdm` functions, the transforms that take PIL images,
/// and the two families' attribute tables.
extension Interpreter {
    static let pilHelp: [String: HelpEntry] = {
        var h: [String: HelpEntry] = [:]
        h.add("PIL.Image.open", "Image.open(fp)", "Reads a PNG or JPEG file as a PIL image (mode L, LA, RGB or RGBA).", "img = Image.open(\"digit.png\")")
        h.add("PIL.Image.fromarray", "Image.fromarray(obj)", "A PIL image of a uint8 array [H, W] (mode L) or [H, W, 3] (RGB), [H, W, 4] (RGBA).",
            "Image.fromarray(x.numpy())")
        h.add("PIL.Image.new", "Image.new(mode, size, color=0)", "A new image of one colour; size is (width, height).", "Image.new(\"L\", (28, 28), 0)")
        h.add("PIL.Image.Image", "PIL.Image.Image", "The class of PIL images.", "isinstance(img, Image.Image)")
        h.add("tqdm.tqdm", "tqdm(iterable=None, desc=None, total=None, leave=True, ncols=None, disable=False, unit='it')",
            "A progress bar around an iterable (or updated by hand with update): drawn in place at the terminal and in notebooks, silent in pipes.",
            "for x, y in tqdm(train_loader, desc=\"epoch 1\"): ...")
        h.add("tqdm.trange", "trange(stop) / trange(start, stop, step=1, desc=None, ...)", "tqdm(range(...)).", "for epoch in trange(5): ...")
        h.add("tqdm.tqdm.write", "tqdm.write(s, file=None, end='\\n')", "Prints a line without breaking the bars.", "tqdm.write(\"done\")")
        let t: [(String, String, String, String)] = [
            ("PILToTensor", "transforms.PILToTensor()", "A PIL image to a uint8 tensor [C, H, W], values unchanged.", "transforms.PILToTensor()(img)"),
            ("ToPILImage", "transforms.ToPILImage()", "A tensor [C, H, W] (floats in [0, 1]) or an array [H, W, C] to a PIL image.", "transforms.ToPILImage()(x)"),
            ("Resize", "transforms.Resize(size)", "Resizes (bilinear): an int matches the shorter side, (h, w) sets both.", "transforms.Resize(14)"),
            ("CenterCrop", "transforms.CenterCrop(size)", "The centre of the image, size (h, w) or an int for a square.", "transforms.CenterCrop(24)"),
        ]
        for (k, s, d, e) in t { h.add("torchvision.transforms." + k, s, d, e) }
        for module in ["tqdm.auto", "tqdm.notebook", "tqdm.std"] {
            for name in ["tqdm", "trange"] { h[module + "." + name] = h["tqdm." + name] }
        }
        return h
    }()

    static let pilImageMethods = MethodTable("PIL.Image.Image", [
        ("size", "Image.size", "(width, height).", "img.size"),
        ("width", "Image.width", "The width in pixels.", "img.width"),
        ("height", "Image.height", "The height in pixels.", "img.height"),
        ("mode", "Image.mode", "The pixel format: L (grey), LA, RGB or RGBA.", "img.mode"),
        ("format", "Image.format", "PNG or JPEG for an opened file, else None.", "img.format"),
        ("info", "Image.info", "The file's extra information (empty in dlx).", "img.info"),
        ("getbands", "Image.getbands()", "The names of the channels.", "img.getbands()"),
        ("getpixel", "Image.getpixel(xy)", "The pixel at (x, y): an int for L, a tuple otherwise.", "img.getpixel((14, 14))"),
        ("convert", "Image.convert(mode)", "The image in another mode (L, LA, RGB, RGBA).", "img.convert(\"RGB\")"),
        ("resize", "Image.resize(size, resample=BICUBIC)", "The image resized to (width, height).", "img.resize((14, 14))"),
        ("crop", "Image.crop(box)", "The pixels inside (left, upper, right, lower).", "img.crop((4, 4, 24, 24))"),
        ("transpose", "Image.transpose(method)", "Flipped: Image.FLIP_LEFT_RIGHT or Image.FLIP_TOP_BOTTOM.", "img.transpose(Image.FLIP_LEFT_RIGHT)"),
        ("copy", "Image.copy()", "A copy of the image.", "img.copy()"),
        ("save", "Image.save(fp, format=None)", "Writes the image as PNG.", "img.save(\"/tmp/dlx-example.png\")"),
        ("show", "Image.show()", "Draws the image (as show(img)).", "img.show()"),
    ])

    static let tqdmMethods = MethodTable("tqdm.std.tqdm", [
        ("n", "tqdm.n", "How many steps are done.", "bar.n"),
        ("total", "tqdm.total", "How many steps there are (None when unknown).", "bar.total"),
        ("desc", "tqdm.desc", "The text before the bar.", "bar.desc"),
        ("disable", "tqdm.disable", "Whether the bar is switched off.", "bar.disable"),
        ("iterable", "tqdm.iterable", "What the bar iterates over.", "bar.iterable"),
        ("update", "tqdm.update(n=1)", "Counts n more steps.", "bar.update(1)"),
        ("close", "tqdm.close()", "Ends the bar (leave=True keeps its last line).", "bar.close()"),
        ("refresh", "tqdm.refresh()", "Redraws the bar.", "bar.refresh()"),
        ("clear", "tqdm.clear()", "Clears the bar (dlx redraws it at the next update).", "bar.clear()"),
        ("reset", "tqdm.reset(total=None)", "Starts again from 0, optionally with a new total.", "bar.reset(total=20)"),
        ("set_description", "tqdm.set_description(desc=None)", "Changes the text before the bar.", "bar.set_description(\"epoch 2\")"),
        ("set_description_str", "tqdm.set_description_str(desc=None)", "Changes the text before the bar, as given.", "bar.set_description_str(\"epoch 2\")"),
        ("set_postfix", "tqdm.set_postfix(**kwargs)", "Values shown after the bar (numbers in 3 significant digits).", "bar.set_postfix(loss=0.25)"),
        ("set_postfix_str", "tqdm.set_postfix_str(s='')", "Text shown after the bar.", "bar.set_postfix_str(\"loss 0.25\")"),
    ])
}
