"""The trained layer over the rules: features, a linear model per label, training."""
