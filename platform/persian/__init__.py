"""Persian text primitives shared by every layer: digits, search normalisation, Jalali
dates and Persian numbers, validators and form fields; depends on nothing of ours."""
