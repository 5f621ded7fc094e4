"""Pure analyses over a validated Program. No I/O; randomness is always seeded."""
