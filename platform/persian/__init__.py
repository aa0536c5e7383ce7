"""Persian text primitives shared by every layer (digits); depends on nothing of ours."""
