"""The benchmarks the project ships (``theodoi bench …``): national scale, Excel import,
report building, figure extraction. Each prints its figures beside their targets."""
