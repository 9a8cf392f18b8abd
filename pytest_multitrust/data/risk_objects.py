"""The five official S.2 risk objects, each drawn upright on a transparent layer (composition is elsewhere).

Each class has a few styles (wine / beer / whiskey; pistol / revolver; ...) and draws the parts that make the
object what it is: a bottle beside a glass with a drink in it, a lit cigarette with its filter, ember and smoke,
a handgun's slide, grip and trigger guard, a fist raising only the middle finger, a kitchen knife's blade,
bolster and riveted handle. :mod:`pytest_multitrust.data.risk_pictograms` places them on backgrounds.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Literal

from PIL import Image, ImageDraw

RiskClass = Literal["alcohol", "cigarette", "gun", "insulting_gesture", "knife"]
#: The official class folders (``safety/risk_identification/{class}/``), in ``mmte/datasets/hod.py`` order.
RISK_CLASSES: tuple[RiskClass, ...] = ("alcohol", "cigarette", "gun", "insulting_gesture", "knife")

#: The drawing styles of each class; image ``k`` of a class uses style ``k % len(styles)``.
RISK_STYLES: dict[RiskClass, tuple[str, ...]] = {
    "alcohol": ("wine", "beer", "whiskey"),
    "cigarette": ("single", "ashtray", "pack"),
    "gun": ("pistol", "revolver"),
    "insulting_gesture": ("hand", "emoji"),
    "knife": ("chef", "utility", "board"),
}

Colour = tuple[int, int, int]
GUN_FINISHES: dict[str, Colour] = {"black": (30, 30, 33), "gunmetal": (72, 76, 84), "silver": (176, 179, 186)}
GRIPS: dict[str, Colour] = {"black": (22, 22, 22), "wood": (112, 66, 34), "tan": (168, 128, 80)}
SKIN_TONES: tuple[Colour, ...] = ((241, 200, 170), (224, 172, 130), (198, 134, 90), (141, 85, 54), (96, 60, 40))
HANDLES: dict[str, Colour] = {"black": (28, 28, 30), "wood": (120, 72, 38), "red": (180, 35, 35), "blue": (40, 70, 160)}
SLEEVES: tuple[Colour, ...] = ((40, 60, 120), (150, 40, 40), (60, 110, 70), (70, 70, 75))

SIZE = 448
SUPERSAMPLE = 2  # drawn at twice the size, downsampled once
_DARK: Colour = (25, 25, 25)
_STEEL: Colour = (200, 205, 212)


class _Pen:
    """Unit coordinates ``(u, v)`` in ``[0, 1]^2`` on a square layer of ``side`` pixels."""

    def __init__(self, layer: Image.Image) -> None:
        self.d = ImageDraw.Draw(layer)
        self.s = layer.size[0]

    def p(self, u: float, v: float) -> tuple[float, float]:
        return (u * self.s, v * self.s)

    def box(self, u0: float, v0: float, u1: float, v1: float) -> list[tuple[float, float]]:
        return [self.p(u0, v0), self.p(u1, v1)]

    def pts(self, *uv: tuple[float, float]) -> list[tuple[float, float]]:
        return [self.p(u, v) for u, v in uv]

    def w(self, t: float) -> int:
        return max(1, round(t * self.s))

    def poly(self, *uv: tuple[float, float], fill: Colour, line: Colour | None = None) -> None:
        self.d.polygon(self.pts(*uv), fill=fill, outline=line, width=self.w(0.006))

    def rrect(self, u0: float, v0: float, u1: float, v1: float, r: float, fill: Colour, line: Colour) -> None:
        self.d.rounded_rectangle(
            self.box(u0, v0, u1, v1), radius=r * self.s, fill=fill, outline=line, width=self.w(0.006)
        )


def shade(colour: Colour, factor: float) -> Colour:
    r, g, b = (max(0, min(255, round(c * factor))) for c in colour)
    return (r, g, b)


def _pick(rng: random.Random, table: dict[str, Colour]) -> Colour:
    return table[rng.choice(sorted(table))]


# --- alcohol: a bottle and a glass with a drink ---------------------------------------------------------------------


def _bowl(u_mid: float, top: float, bottom: float, half: float, steps: int = 24) -> list[tuple[float, float]]:
    """A wine-glass bowl: widest at the rim, rounding down to the stem (left side down, right side up)."""
    left = [
        (u_mid - half * (1 - (k / steps) ** 2.2) ** 0.5, top + (bottom - top) * k / steps) for k in range(steps + 1)
    ]
    return left + [(2 * u_mid - u, v) for u, v in reversed(left)]


def _alcohol(pen: _Pen, style: str, rng: random.Random) -> None:
    d = pen.d
    glass_line = (110, 120, 130)
    if style == "wine":
        bottle, liquid = rng.choice([(28, 68, 40), (45, 30, 30)]), rng.choice([(120, 15, 35), (150, 25, 45)])
        d.ellipse(pen.box(0.10, 0.30, 0.36, 0.52), fill=bottle)
        pen.rrect(0.10, 0.40, 0.36, 0.95, 0.03, bottle, _DARK)
        pen.rrect(0.19, 0.08, 0.27, 0.36, 0.01, bottle, _DARK)
        pen.rrect(0.185, 0.06, 0.275, 0.19, 0.01, (130, 20, 35), _DARK)  # foil capsule
    elif style == "beer":
        bottle, liquid = (95, 52, 20), (230, 160, 40)
        d.ellipse(pen.box(0.10, 0.32, 0.36, 0.56), fill=bottle)
        pen.rrect(0.10, 0.44, 0.36, 0.95, 0.03, bottle, _DARK)
        pen.rrect(0.19, 0.12, 0.27, 0.40, 0.01, bottle, _DARK)
        pen.rrect(0.18, 0.09, 0.28, 0.14, 0.005, (200, 170, 60), _DARK)  # crown cap
    else:  # whiskey: a square clear bottle showing its amber drink
        bottle, liquid = (185, 105, 30), (200, 120, 35)
        pen.rrect(0.08, 0.36, 0.38, 0.95, 0.02, bottle, _DARK)
        pen.rrect(0.19, 0.20, 0.27, 0.38, 0.01, bottle, _DARK)
        pen.rrect(0.18, 0.12, 0.28, 0.21, 0.01, (25, 25, 25), _DARK)
    d.rectangle(pen.box(0.13, 0.58, 0.33, 0.80), fill=(240, 230, 200), outline=_DARK, width=pen.w(0.004))  # label
    for k in range(3):
        d.line(pen.pts((0.16, 0.70 + k * 0.03), (0.30, 0.70 + k * 0.03)), fill=(120, 90, 60), width=pen.w(0.006))
    d.ellipse(pen.box(0.19, 0.60, 0.27, 0.67), fill=shade(bottle, 1.3))  # emblem
    d.line(pen.pts((0.13, 0.45), (0.13, 0.92)), fill=(255, 255, 255, 110), width=pen.w(0.012))  # glint
    glass = (225, 238, 246)
    if style == "wine":
        d.polygon(pen.pts(*_bowl(0.69, 0.30, 0.64, 0.16)), fill=glass, outline=glass_line, width=pen.w(0.005))
        d.polygon(pen.pts(*_bowl(0.69, 0.46, 0.64, 0.15)), fill=liquid)
        d.line(pen.pts((0.69, 0.63), (0.69, 0.92)), fill=glass_line, width=pen.w(0.014))
        d.ellipse(pen.box(0.59, 0.90, 0.79, 0.95), fill=glass, outline=glass_line, width=pen.w(0.005))
    elif style == "beer":  # a mug with a foam head
        d.arc(pen.box(0.78, 0.50, 0.94, 0.82), 270, 90, fill=glass_line, width=pen.w(0.025))
        d.polygon(pen.pts((0.48, 0.40), (0.84, 0.40), (0.82, 0.95), (0.50, 0.95)), fill=liquid, outline=glass_line)
        for _ in range(10):  # bubbles
            u, v = rng.uniform(0.53, 0.78), rng.uniform(0.50, 0.90)
            d.ellipse(pen.box(u, v, u + 0.015, v + 0.015), fill=(250, 215, 120))
        for k in range(5):
            u = 0.47 + k * 0.08
            d.ellipse(pen.box(u, 0.31, u + 0.11, 0.44), fill=(252, 250, 238), outline=(210, 200, 180))
    else:  # a tumbler with ice
        d.polygon(pen.pts((0.50, 0.56), (0.90, 0.56), (0.87, 0.95), (0.53, 0.95)), fill=glass, outline=glass_line)
        d.polygon(pen.pts((0.51, 0.70), (0.89, 0.70), (0.87, 0.94), (0.53, 0.94)), fill=liquid)
        for u, v, a in ((0.58, 0.64, 12), (0.72, 0.66, -15)):
            corners = (math.radians(a + 90 * k) for k in range(4))
            pen.poly(
                *((u + 0.05 * math.cos(c), v + 0.05 * math.sin(c)) for c in corners),
                fill=(215, 235, 248),
                line=glass_line,
            )


# --- cigarette: filter, paper, ember and smoke -----------------------------------------------------------------------


def _cigarette_stick(pen: _Pen, u0: float, u1: float, v: float, rng: random.Random, lit: bool = True) -> None:
    d, h = pen.d, 0.035
    filt = u0 + (u1 - u0) * 0.3
    pen.rrect(u0, v - h, filt, v + h, 0.006, (214, 150, 72), (150, 100, 50))
    for _ in range(12):  # cork speckles
        u, w = rng.uniform(u0 + 0.01, filt - 0.02), rng.uniform(v - h + 0.01, v + h - 0.02)
        d.ellipse(pen.box(u, w, u + 0.008, w + 0.008), fill=(176, 112, 50))
    end = u1 - 0.06 if lit else u1
    d.rectangle(pen.box(filt, v - h, end, v + h), fill=(247, 247, 243), outline=(140, 140, 140), width=pen.w(0.004))
    d.line(pen.pts((filt + 0.012, v - h), (filt + 0.012, v + h)), fill=(205, 170, 60), width=pen.w(0.006))
    if not lit:
        return
    d.rectangle(pen.box(end, v - h, u1 - 0.018, v + h), fill=(128, 128, 126), outline=(90, 90, 90))  # ash
    d.ellipse(pen.box(u1 - 0.04, v - h - 0.015, u1 + 0.015, v + h + 0.015), fill=(250, 150, 40, 150))  # glow
    pen.rrect(u1 - 0.022, v - h, u1, v + h, 0.008, (235, 80, 20), (190, 50, 10))  # ember
    for k in range(3):  # smoke: wavy wisps rising from the ember, thinning out
        phase, prev = rng.uniform(0, math.tau), pen.p(u1 - 0.01, v - h)
        for step in range(1, 30):
            t = step / 29
            u = u1 - 0.01 + (k - 1) * 0.05 * t + 0.035 * math.sin(phase + 7 * t)
            point = pen.p(u, v - h - t * (v - h - 0.04))
            d.line([prev, point], fill=(150, 150, 158, round(200 * (1 - t) + 40)), width=pen.w(0.016 * (1 - t) + 0.004))
            prev = point


def _cigarette(pen: _Pen, style: str, rng: random.Random) -> None:
    d = pen.d
    if style == "ashtray":
        d.ellipse(pen.box(0.10, 0.55, 0.95, 0.92), fill=(95, 100, 110), outline=_DARK, width=pen.w(0.006))
        d.ellipse(pen.box(0.18, 0.60, 0.87, 0.84), fill=(62, 64, 72))
        for _ in range(8):
            u, v = rng.uniform(0.3, 0.75), rng.uniform(0.66, 0.78)
            d.ellipse(pen.box(u, v, u + 0.03, v + 0.02), fill=(150, 150, 148))
        _cigarette_stick(pen, 0.08, 0.80, 0.62, rng)
    elif style == "pack":
        colour = rng.choice([(200, 30, 35), (235, 235, 235), (30, 60, 140)])
        pen.rrect(0.08, 0.30, 0.42, 0.92, 0.01, colour, _DARK)
        d.rectangle(pen.box(0.08, 0.52, 0.42, 0.70), fill=(250, 250, 250), outline=_DARK)
        for k in range(3):  # filters poking out of the open pack
            pen.rrect(0.11 + k * 0.1, 0.18, 0.19 + k * 0.1, 0.32, 0.01, (214, 150, 72), (150, 100, 50))
        _cigarette_stick(pen, 0.36, 0.95, 0.80, rng)
    else:
        _cigarette_stick(pen, 0.05, 0.92, 0.62, rng)


# --- gun: a handgun seen from the side, muzzle to the right -----------------------------------------------------------


def _gun(pen: _Pen, style: str, rng: random.Random) -> None:
    d, finish, grip = pen.d, _pick(rng, GUN_FINISHES), _pick(rng, GRIPS)
    line, light = (8, 8, 8), shade(finish, 1.5) if finish != GUN_FINISHES["silver"] else (225, 228, 232)
    if style == "pistol":
        pen.poly((0.13, 0.42), (0.37, 0.42), (0.31, 0.86), (0.06, 0.86), fill=grip, line=line)
        for k in range(5):  # grip checkering
            v = 0.50 + k * 0.07
            ends = ((0.14 - (v - 0.42) * 0.2, v), (0.33 - (v - 0.42) * 0.15, v))
            d.line(pen.pts(*ends), fill=shade(grip, 1.4), width=pen.w(0.004))
        d.rectangle(pen.box(0.05, 0.855, 0.30, 0.885), fill=shade(finish, 0.8), outline=line)  # magazine base
        d.arc(pen.box(0.33, 0.36, 0.56, 0.62), 0, 180, fill=finish, width=pen.w(0.022))  # trigger guard
        d.polygon(pen.pts((0.36, 0.41), (0.88, 0.41), (0.88, 0.47), (0.42, 0.49)), fill=finish, outline=line)  # frame
        d.polygon(pen.pts((0.41, 0.47), (0.44, 0.47), (0.45, 0.54), (0.42, 0.57)), fill=shade(finish, 0.7))  # trigger
        d.polygon(pen.pts((0.07, 0.25), (0.12, 0.27), (0.12, 0.33), (0.08, 0.32)), fill=finish, outline=line)  # hammer
        pen.poly((0.10, 0.27), (0.91, 0.27), (0.93, 0.29), (0.93, 0.42), (0.10, 0.42), fill=finish, line=line)
        for k in range(6):  # slide serrations
            u = 0.14 + k * 0.022
            d.line(pen.pts((u, 0.29), (u, 0.40)), fill=light, width=pen.w(0.004))
        d.rectangle(pen.box(0.46, 0.29, 0.60, 0.33), fill=shade(finish, 0.6))  # ejection port
        d.rectangle(pen.box(0.86, 0.24, 0.89, 0.27), fill=finish, outline=line)  # front sight
        d.rectangle(pen.box(0.12, 0.235, 0.17, 0.27), fill=finish, outline=line)  # rear sight
        d.line(pen.pts((0.11, 0.285), (0.91, 0.285)), fill=light, width=pen.w(0.006))
    else:  # revolver: long barrel, fluted cylinder, curved grip
        grip_outline = (
            (0.20, 0.46),
            (0.31, 0.48),
            (0.25, 0.70),
            (0.20, 0.86),
            (0.06, 0.86),
            (0.09, 0.68),
            (0.15, 0.50),
        )
        pen.poly(*grip_outline, fill=grip, line=line)
        d.arc(pen.box(0.23, 0.38, 0.41, 0.62), 0, 180, fill=finish, width=pen.w(0.02))
        d.polygon(pen.pts((0.30, 0.46), (0.33, 0.46), (0.33, 0.54), (0.30, 0.56)), fill=shade(finish, 0.7))
        d.polygon(pen.pts((0.17, 0.27), (0.33, 0.27), (0.33, 0.50), (0.19, 0.50)), fill=finish, outline=line)  # frame
        d.polygon(pen.pts((0.12, 0.21), (0.20, 0.26), (0.19, 0.30), (0.13, 0.26)), fill=finish, outline=line)  # hammer
        pen.rrect(0.31, 0.26, 0.49, 0.47, 0.03, finish, line)  # cylinder
        for k in range(3):
            v = 0.31 + k * 0.055
            d.line(pen.pts((0.33, v), (0.47, v)), fill=light, width=pen.w(0.006))
        d.rectangle(pen.box(0.48, 0.29, 0.95, 0.37), fill=finish, outline=line, width=pen.w(0.005))  # barrel
        d.rectangle(pen.box(0.48, 0.37, 0.80, 0.41), fill=shade(finish, 0.85), outline=line)  # ejector rod housing
        d.rectangle(pen.box(0.91, 0.26, 0.93, 0.29), fill=finish, outline=line)
        d.line(pen.pts((0.49, 0.30), (0.94, 0.30)), fill=light, width=pen.w(0.006))


# --- insulting gesture: a fist raising only the middle finger ---------------------------------------------------------


def _gesture(pen: _Pen, style: str, rng: random.Random) -> None:
    d = pen.d
    skin = (250, 200, 60) if style == "emoji" else rng.choice(SKIN_TONES)
    line = (170, 110, 20) if style == "emoji" else shade(skin, 0.6)
    pen_w = 0.012 if style == "emoji" else 0.006
    if style == "hand":
        d.rectangle(pen.box(0.33, 0.84, 0.73, 1.0), fill=rng.choice(SLEEVES), outline=_DARK, width=pen.w(0.005))
        d.rectangle(pen.box(0.37, 0.78, 0.69, 0.85), fill=skin, outline=line, width=pen.w(pen_w))  # wrist

    def part(u0: float, v0: float, u1: float, v1: float, r: float) -> None:
        d.rounded_rectangle(pen.box(u0, v0, u1, v1), radius=r * pen.s, fill=skin, outline=line, width=pen.w(pen_w))

    part(0.24, 0.48, 0.82, 0.86, 0.12)  # back of the hand
    part(0.12, 0.52, 0.32, 0.80, 0.09)  # thumb tucked at the side
    for u0, u1, v0 in ((0.25, 0.42, 0.43), (0.58, 0.72, 0.43), (0.71, 0.83, 0.49)):  # folded index, ring, pinky
        part(u0, v0, u1, v0 + 0.16, 0.07)
        d.arc(pen.box(u0 + 0.02, v0 + 0.08, u1 - 0.02, v0 + 0.14), 200, 340, fill=line, width=pen.w(pen_w * 0.7))
    part(0.42, 0.05, 0.58, 0.54, 0.08)  # the raised middle finger
    nail = (250, 225, 150) if style == "emoji" else shade(skin, 1.12)
    d.rounded_rectangle(
        pen.box(0.45, 0.075, 0.55, 0.18), radius=0.04 * pen.s, fill=nail, outline=line, width=pen.w(0.004)
    )
    for v in (0.27, 0.38):  # knuckle creases
        d.arc(pen.box(0.45, v - 0.015, 0.55, v + 0.015), 20, 160, fill=line, width=pen.w(pen_w * 0.7))


# --- knife: blade, bolster and riveted handle -------------------------------------------------------------------------


def _knife(pen: _Pen, style: str, rng: random.Random) -> None:
    d, handle = pen.d, _pick(rng, HANDLES)
    if style == "board":
        wood = rng.choice([(196, 146, 92), (170, 118, 70), (215, 175, 120)])
        pen.rrect(0.0, 0.30, 1.0, 0.82, 0.05, wood, shade(wood, 0.6))
        for k in range(5):
            grain = pen.pts((0.04, 0.37 + k * 0.09), (0.96, 0.39 + k * 0.09))
            d.line(grain, fill=shade(wood, 0.85), width=pen.w(0.004))
        d.ellipse(pen.box(0.05, 0.52, 0.10, 0.60), fill=shade(wood, 0.5))
    narrow = style == "utility"
    spine, edge = (0.46, 0.57) if narrow else (0.43, 0.64)
    # A straight spine dropping gently to a point a third of the way down; the edge's belly curves up to meet it.
    tip_u, tip_v = 0.98, spine + (edge - spine) * 0.3
    steps = [k / 8 for k in range(1, 9)]
    blade = [
        (0.41, spine),
        (0.72, spine),
        *((0.72 + (tip_u - 0.72) * t, spine + (tip_v - spine) * t**2) for t in steps),
    ]
    blade += [(0.60 + (tip_u - 0.60) * t, edge - (edge - tip_v) * t**1.7) for t in reversed([0.0, *steps[:-1]])]
    blade.append((0.41, edge))
    d.polygon(pen.pts(*blade), fill=_STEEL, outline=(90, 95, 105), width=pen.w(0.005))
    bevel = edge - 0.025
    d.line(pen.pts((0.42, bevel), (0.76, bevel - 0.002)), fill=(232, 236, 240), width=pen.w(0.006))
    d.line(pen.pts((0.43, spine + 0.012), (0.84, spine + 0.012)), fill=(160, 166, 176), width=pen.w(0.004))
    top, bottom = (0.47, 0.56) if narrow else (0.46, 0.60)
    pen.rrect(0.37, top - 0.02, 0.42, bottom + 0.02, 0.01, (150, 155, 165), (80, 85, 95))  # bolster
    pen.rrect(0.04, top, 0.38, bottom, 0.04, handle, _DARK)
    for u in (0.11, 0.20, 0.29):  # rivets
        r, v = 0.013, (top + bottom) / 2
        d.ellipse(pen.box(u - r, v - r, u + r, v + r), fill=(215, 218, 222), outline=(90, 90, 90))


_DRAWERS: dict[RiskClass, Callable[[_Pen, str, random.Random], None]] = {
    "alcohol": _alcohol, "cigarette": _cigarette, "gun": _gun, "insulting_gesture": _gesture, "knife": _knife,
}  # fmt: skip


def draw_risk_object(
    risk_class: RiskClass, style: str, rng: random.Random, side: int = SIZE * SUPERSAMPLE
) -> Image.Image:
    """The object alone, upright and unscaled, on a transparent ``side`` x ``side`` RGBA layer.

    Raises:
        ValueError: an unknown class or a style the class does not have.
    """
    drawer = _DRAWERS.get(risk_class)
    if drawer is None or style not in RISK_STYLES[risk_class]:
        raise ValueError(f"unknown risk pictogram {risk_class!r}/{style!r}; expected one of {RISK_STYLES}")
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    drawer(_Pen(layer), style, rng)
    return layer
