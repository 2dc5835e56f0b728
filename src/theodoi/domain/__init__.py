"""Pure domain rules: no Django imports here, only plain values in and out."""
