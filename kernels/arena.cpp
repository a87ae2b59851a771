// PLACEHOLDER: the thread arena lands with the optimized spreading kernel.
