"""The Cát Hải dataset (``data/``) and its loader, the demo accounts, the illustrative
progress, and the synthetic national dataset for load tests."""
