"""One widget per tab."""
