#!/usr/bin/python3
"""Reads a state_dict file GradCam wrote, with PyTorch itself (Debian's python3-torch), and prints, as JSON, every
tensor's name, shape and sum: the test compares them with the module that was saved.

Usage: /usr/bin/python3 read_state_dict.py FILE OUT.json
"""
import json
import sys

import torch

state = torch.load(sys.argv[1], map_location="cpu")
with open(sys.argv[2], "w") as f:
    json.dump({k: {"shape": list(v.shape), "sum": float(v.double().sum())} for k, v in state.items()}, f)
