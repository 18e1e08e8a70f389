from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_name, mask_uscc


def test_it_masks_as_the_standard_says() -> None:
    assert mask_id_number("11010519491231002X") == "1***************2X"
    assert mask_mobile("13512342210") == "135****2210"
    assert mask_name("李明明") == "李**"
    assert mask_uscc("91350100M000100Y43") == "91**************43"


def test_it_masks_empty_and_short_values_without_leaking() -> None:
    assert mask_mobile(None) == ""
    assert mask_name("李") == "李"
    assert mask_id_number("12") == "1*"
