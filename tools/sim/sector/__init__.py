"""The simulated sector's generator (tools/sim/gen_sector.py), in parts."""
