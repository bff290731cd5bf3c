"""PP-OCRv4 detection and recognition on onnxruntime, with numpy and Pillow only.

The models are the ones the rapidocr-onnxruntime wheel carries. Its own pipeline needs
OpenCV (about 150 MB in the bundle) for resizing, contours and perspective crops; a
screenshot's text is upright, so upright boxes from the detector's map do the same work.
The steps follow PaddleOCR's: resize to a multiple of 32, DB map, threshold 0.3, 2×2
dilation, boxes scored on the map (≥ 0.5) and grown by area × 1.6 / perimeter, then each
box read at 48 px high, CTC-decoded with the character list stored in the model.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

from PIL import Image

DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"
REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"
MAX_SIDE = 2000  # the detector sees at most this (PaddleOCR's max_side_len)
MIN_DET_SIDE = 736
MAP_THRESHOLD = 0.3
BOX_THRESHOLD = 0.5
UNCLIP = 1.6
TEXT_SCORE = 0.5
REC_HEIGHT = 48
REC_BATCH = 6

Box = tuple[float, float, float, float]


def models_folder() -> Path:
    """Where the .onnx files are: in the frozen bundle, or in the installed wheel (found
    without importing it: its __init__ would load OpenCV)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "rapidocr_onnxruntime" / "models"
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the rapidocr-onnxruntime package (the OCR models) is missing")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class PaddleOcr:
    def __init__(self, folder: Path | None = None) -> None:
        import onnxruntime as ort

        folder = folder or models_folder()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        providers = ["CPUExecutionProvider"]
        self._det = ort.InferenceSession(str(folder / DET_MODEL), options, providers=providers)
        self._rec = ort.InferenceSession(str(folder / REC_MODEL), options, providers=providers)
        meta = self._rec.get_modelmeta().custom_metadata_map
        self._chars = ["", *meta["character"].splitlines(), " "]  # 0 is CTC's blank

    def __call__(self, rgb: Any) -> list[tuple[list[list[float]], str, float]]:
        """(quad, text, score) per box, like rapidocr's output, top to bottom."""
        image = Image.fromarray(rgb)
        boxes = self.detect(image)
        read = self.recognise([image.crop(box) for box in boxes])
        out = []
        for (left, top, right, bottom), (text, score) in zip(boxes, read, strict=True):
            if text and score >= TEXT_SCORE:
                quad = [[left, top], [right, top], [right, bottom], [left, bottom]]
                out.append((quad, text, score))
        return out

    def detect(self, image: Image.Image) -> list[Box]:
        import numpy as np

        width, height = image.size
        ratio = min(1.0, MAX_SIDE / max(width, height))
        small = min(width, height) * ratio
        if small < MIN_DET_SIDE:
            ratio *= MIN_DET_SIDE / small
        det_w = max(32, round(width * ratio / 32) * 32)
        det_h = max(32, round(height * ratio / 32) * 32)
        # The models were trained on BGR pictures, normalised to -1..1.
        pixels = np.asarray(image.resize((det_w, det_h), Image.Resampling.BILINEAR))
        batch = (pixels[:, :, ::-1].astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)[None]
        name = self._det.get_inputs()[0].name
        heat = self._det.run(None, {name: batch})[0][0, 0]
        mask = heat > MAP_THRESHOLD
        mask[1:, :] |= mask[:-1, :]  # 2×2 dilation, as PaddleOCR does
        mask[:, 1:] |= mask[:, :-1]
        sx, sy = width / det_w, height / det_h
        boxes = []
        for left, top, right, bottom in _components(mask):
            w, h = right - left + 1, bottom - top + 1
            if min(w, h) < 3:
                continue
            if float(heat[top : bottom + 1, left : right + 1].mean()) < BOX_THRESHOLD:
                continue
            grow = w * h * UNCLIP / (2 * (w + h))
            x0, y0 = max(0.0, left - grow), max(0.0, top - grow)
            x1, y1 = min(det_w, right + 1 + grow), min(det_h, bottom + 1 + grow)
            if min(x1 - x0, y1 - y0) < 5:
                continue
            boxes.append((x0 * sx, y0 * sy, x1 * sx, y1 * sy))
        boxes.sort(key=lambda b: (round(b[1] / 10), b[0]))
        return boxes

    def recognise(self, crops: list[Image.Image]) -> list[tuple[str, float]]:
        import numpy as np

        results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        order = sorted(range(len(crops)), key=lambda i: crops[i].width / max(1, crops[i].height))
        name = self._rec.get_inputs()[0].name
        for start in range(0, len(order), REC_BATCH):
            chunk = order[start : start + REC_BATCH]
            widest = max(
                320 / REC_HEIGHT, *(crops[i].width / max(1, crops[i].height) for i in chunk)
            )
            full = int(REC_HEIGHT * widest)
            batch = np.zeros((len(chunk), 3, REC_HEIGHT, full), dtype=np.float32)
            for row, index in enumerate(chunk):
                crop = crops[index].convert("RGB")
                w = min(full, math.ceil(REC_HEIGHT * crop.width / max(1, crop.height)))
                line = np.asarray(crop.resize((max(1, w), REC_HEIGHT), Image.Resampling.BILINEAR))
                batch[row, :, :, :w] = (
                    line[:, :, ::-1].astype(np.float32) / 127.5 - 1.0
                ).transpose(2, 0, 1)
            scores = self._rec.run(None, {name: batch})[0]
            for row, index in enumerate(chunk):
                results[index] = self._decode(scores[row])
        return results

    def _decode(self, scores: Any) -> tuple[str, float]:
        import numpy as np

        best = scores.argmax(axis=1)
        chance = scores.max(axis=1)
        keep = np.ones(len(best), dtype=bool)
        keep[1:] = best[1:] != best[:-1]
        keep &= best != 0
        chars = [self._chars[i] if i < len(self._chars) else "" for i in best[keep]]
        picked = chance[keep]
        return "".join(chars), float(picked.mean()) if len(picked) else 0.0


def _components(mask: Any) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (left, top, right, bottom) of the mask's 8-connected regions, from its
    runs of set pixels row by row (a few thousand runs on a screenshot)."""
    import numpy as np

    parent: list[int] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    runs: list[tuple[int, int, int]] = []  # (row, first, last)
    previous: list[int] = []
    padded = np.zeros(mask.shape[1] + 2, dtype=np.int8)
    for row in range(mask.shape[0]):
        line = mask[row]
        if not line.any():
            previous = []
            continue
        padded[1:-1] = line
        edges = np.flatnonzero(np.diff(padded))
        current = []
        for first, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            index = len(runs)
            runs.append((row, first, end - 1))
            parent.append(index)
            for other in previous:
                _, o_first, o_last = runs[other]
                if o_first <= end and first <= o_last + 1:  # touching, diagonals too
                    a, b = find(index), find(other)
                    if a != b:
                        parent[a] = b
            current.append(index)
        previous = current
    boxes: dict[int, list[int]] = {}
    for index, (row, first, last) in enumerate(runs):
        root = find(index)
        box = boxes.get(root)
        if box is None:
            boxes[root] = [first, row, last, row]
        else:
            box[0] = min(box[0], first)
            box[2] = max(box[2], last)
            box[3] = row
    return [(b[0], b[1], b[2], b[3]) for b in boxes.values()]
