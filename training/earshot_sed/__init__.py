"""Earshot sound event detection: data recipe, soundscapes, CRNN training and ONNX export."""
