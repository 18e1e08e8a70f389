import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhenwu.testing import PASSWORD


@pytest.mark.parametrize("weak", ["short1A", "alllowercase", "lowerand1234", "12345678"])
def test_it_rejects_weak_passwords(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


@pytest.mark.parametrize("good", [PASSWORD, "Qinghe7Lane", "tree#house9"])
def test_it_accepts_eight_characters_from_three_classes(good: str) -> None:
    validate_password(good)
