"""Issue 20.5: every form's PESEL, postal code and phone bring up the number pad, and an empty choice
says "– wybierz –" instead of Django's "---------" – drawn so by the project's form renderer."""

from cases.forms import ClientForm, HeadMemberForm, MemberForm


def test_number_pads_and_the_polish_prompt():
    client = str(ClientForm())
    assert 'name="postal_code"' in client and 'inputmode="numeric"' in client and 'inputmode="tel"' in client
    for form in (HeadMemberForm(), MemberForm(prefix="form-0")):
        html = str(form)
        assert 'inputmode="numeric"' in html and "---------" not in html and "– wybierz –" in html
