

def test_upstreams_comparator_classes_import_and_compare():
    from nnbench.compare import AbsDiffLessEqual, GreaterEqual, LessEqual

    assert GreaterEqual()(2, 1) and not GreaterEqual()(1, 2) and str(GreaterEqual()) == "x ≥ y"
    assert LessEqual()(1, 2) and not LessEqual()(2, 1)
    assert AbsDiffLessEqual(thresh=0.5)(1.0, 1.4) and not AbsDiffLessEqual(0.5)(1.0, 1.6)
