"""Pure scoring functions: the official rule scorers and the statistics of the score scripts."""
