import Testing
@testable import DLXInterpreter

/// `typing`, `warnings` and `__future__`: imports that beginner code carries work, with CPython 3.11.7's reprs.
@Suite struct StdlibTypingTests {
    let h = Harness()

    @Test func typingFormsAreSubscriptablePlaceholders() throws {
        try h.run("""
            from __future__ import annotations, division
            import typing
            from typing import List, Dict, Optional, Union, Callable, Any, Tuple, cast, TYPE_CHECKING
            """)
        try h.expectReprs([
            ("List, List[int], Dict[str, int], Optional[int], Union[int, str]",
             "(typing.List, typing.List[int], typing.Dict[str, int], typing.Optional[int], typing.Union[int, str])"),
            ("Callable[[int], str], Any, Tuple[int, ...], List[Dict[str, torch.Tensor]]",
             "(typing.Callable[[int], str], typing.Any, typing.Tuple[int, ...], typing.List[typing.Dict[str, torch.Tensor]])"),
            ("typing.TypeVar('T'), cast(int, 'x'), TYPE_CHECKING", "(~T, 'x', False)"),
        ])
    }

    @Test func warningsAreAcceptedQuietly() throws {
        let out = try h.run("""
            import warnings
            warnings.filterwarnings('ignore')
            warnings.simplefilter('ignore', category=None)
            warnings.warn('old API')
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
            print('ok')
            """)
        #expect(out == "ok\n")
    }
}
