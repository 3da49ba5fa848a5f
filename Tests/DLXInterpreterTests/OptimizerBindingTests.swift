import Testing
@testable import DLXInterpreter

/// torch.optim as PyTorch 2.15 shows it: param groups, state, state dicts (expected text from PyTorch).
@Suite struct OptimizerBindingTests {
    let h = Harness()

    @Test func assigningTheGroupsRateChangesTheNextStep() throws {
        try h.run("""
        w = nn.Parameter(torch.tensor([1.0, -2.0]))
        opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        g = opt.param_groups[0]
        g['lr'] = 0.5
        w.grad = torch.tensor([1.0, 1.0])
        opt.step()
        """)
        #expect(try h.repr("w") == "Parameter containing:\ntensor([ 0.5000, -2.5000], requires_grad=True)")
        #expect(try h.repr("opt.param_groups[0] is g, opt.defaults['lr']") == "(True, 0.1)")
    }

    @Test func optimizersHaveNoLrAttribute() {
        let e = h.error("torch.optim.SGD([nn.Parameter(torch.ones(1))], lr=0.1).lr")
        #expect(e?.type == "AttributeError")
        #expect(e?.message == "'SGD' object has no attribute 'lr'")
    }

    @Test func stateDictAndLoadStateDictRoundTrip() throws {
        try h.run("""
        w = nn.Parameter(torch.tensor([1.0, -2.0]))
        opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        opt.param_groups[0]['lr'] = 0.5
        w.grad = torch.tensor([1.0, 1.0])
        opt.step()
        sd = opt.state_dict()
        opt2 = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        opt2.load_state_dict(sd)
        """)
        #expect(try h.repr("sd") == "{'state': {0: {'momentum_buffer': tensor([1., 1.])}}, 'param_groups': [{'lr': 0.5, 'momentum': 0.9, "
                + "'dampening': 0, 'weight_decay': 0, 'nesterov': False, 'maximize': False, 'foreach': None, 'differentiable': False, "
                + "'fused': None, 'params': [0]}]}")
        #expect(try h.repr("opt2.param_groups[0]['lr'], opt2.state[w]") == "(0.5, {'momentum_buffer': tensor([1., 1.])})")
    }

    @Test func stateIsADefaultdictOfTheParameters() throws {
        try h.run("w = nn.Parameter(torch.tensor([1.0, 2.0]))\nopt = torch.optim.Adagrad([w])")
        #expect(try h.repr("opt.state[w]") == "{'step': tensor(0.), 'sum': tensor([0., 0.])}")
        #expect(try h.repr("opt.state") == "defaultdict(<class 'dict'>, {Parameter containing:\ntensor([1., 2.], requires_grad=True): "
                + "{'step': tensor(0.), 'sum': tensor([0., 0.])}})")
        #expect(try h.repr("type(opt), type(opt.state), isinstance(opt, torch.optim.Optimizer)")
                == "(<class 'torch.optim.adagrad.Adagrad'>, <class 'collections.defaultdict'>, True)")
    }

    @Test func reprsShowTheGroupAsGiven() throws {
        #expect(try h.repr("torch.optim.RMSprop([nn.Parameter(torch.ones(1))], lr=1)") == """
        RMSprop (
        Parameter Group 0
            alpha: 0.99
            capturable: False
            centered: False
            differentiable: False
            eps: 1e-08
            foreach: None
            lr: 1
            maximize: False
            momentum: 0
            weight_decay: 0
        )
        """)
    }

    @Test func aParamGroupDictGivesItsOwnSettings() throws {
        try h.run("w = nn.Parameter(torch.ones(2))\no = torch.optim.Adam([{'params': [w], 'lr': 0.5}], lr=0.1)")
        #expect(try h.repr("o.param_groups[0]['lr'], o.defaults['lr']") == "(0.5, 0.1)")
    }

    @Test func schedulersNoteTheInitialRateAndMoveTheGroupsRate() throws {
        try h.run("""
        w = nn.Parameter(torch.ones(2))
        o = torch.optim.SGD([w], lr=1)
        s = torch.optim.lr_scheduler.StepLR(o, 1, 0.5)
        s.step()
        """)
        #expect(try h.repr("o.param_groups[0]['lr'], o.param_groups[0]['initial_lr']") == "(0.5, 1)")
    }

    @Test func pyTorchsErrorsForBadParameters() {
        #expect(h.error("torch.optim.SGD([], lr=0.1)")?.message == "optimizer got an empty parameter list")
        #expect(h.error("torch.optim.SGD([1], lr=0.1)")?.message == "optimizer can only optimize Tensors, but one of the params is int")
        #expect(h.error("torch.optim.SGD([nn.Parameter(torch.ones(1))], lr=0.1, nesterov=True)")?.message
                == "Nesterov momentum requires a momentum and zero dampening")
    }
}
