"""Optical properties of a three-layer scalp model, with the source of each number.

Layers: epidermis (melanin for the Fitzpatrick type), dermis (blood, water and a
bloodless baseline) and subcutaneous fat (semi-infinite). Sources, as listed in
shared/reference/laser-physics.md:

- Jacques SL, "Optical properties of biological tissues: a review", Phys Med Biol
  58:R37 (2013): melanin Eq. 8, scattering Eq. 1 and the mcxyz dermis and epidermis.
- Prahl S, "Tabulated molar extinction coefficient for hemoglobin in water" (OMLC,
  compiled from Gratzer and Kollias), converted with mu_a = 2.303 * eps * 150 / 64500.
- Segelstein DJ, "The complex refractive index of water", MSc thesis, University of
  Missouri-Kansas City (1981), as tabulated by OMLC.
- OMLC "Skin optics" (Jacques 1998): melanosome volume fractions and the bloodless
  skin baseline.

Marks as in the reference file: [V] verified in a primary or authoritative source,
[V2] in a secondary source quoting it, [C] calculated here, [U] an assumption.
"""

from __future__ import annotations

import math

import numpy as np

WAVELENGTHS_NM = (532, 694, 755, 1064)
FITZPATRICK_TYPES = (1, 2, 3, 4, 5, 6)

# Melanosome volume fraction in the epidermis per Fitzpatrick type. OMLC "Skin optics"
# gives light-skinned adults 1.3-6.3%, moderately pigmented 11-16%, darkly pigmented
# 18-43% [V2]; the value per type within (or, for type III, between) those ranges is
# our choice [U].
MELANOSOME_FRACTION = {1: 0.02, 2: 0.04, 3: 0.08, 4: 0.13, 5: 0.22, 6: 0.35}

# Layer geometry (cm). Scalp epidermis about 100 um and dermis about 2 mm thick [U:
# typical histology figures, not from the reference file]; SMP pigment sits at
# 0.5-1 mm, inside the dermis (clinical-practice.md).
EPIDERMIS_CM = 0.01
DERMIS_CM = 0.20

# Refractive index of tissue 1.37, as in MCML's examples [V]; air above.
N_TISSUE = 1.37
N_AIR = 1.0

# Dermis composition, from Jacques' mcxyz tissue list [V]: blood 0.2%, saturation 67%,
# water 65%, anisotropy 0.90.
DERMIS_BLOOD = 0.002
DERMIS_WATER = 0.65
BLOOD_SATURATION = 0.67
G_SKIN = 0.90

# Subcutaneous fat [U except where marked]: blood 0.5%, water 20%, lipid absorption
# 0.05 cm^-1 (order of the fat values in PMC6366475, Table 1 [V2]); reduced scattering
# 12.1 cm^-1 at 670 nm falling to 9.45 cm^-1 at 1064 nm (same table [V2]), fitted
# here as a power law [C]; anisotropy 0.9 [U].
FAT_BLOOD = 0.005
FAT_WATER = 0.20
FAT_LIPID_MUA = 0.05
FAT_G = 0.90

# Hemoglobin molar extinction (cm^-1/M), Prahl's table [V]: wavelength, HbO2, Hb.
# Beyond 1000 nm Prahl's table ends; values are held at 1000 nm, which is how the
# reference file reaches its ~5 and ~1 cm^-1 at 1064 nm [U].
_HB_TABLE = (
    (450, 62816, 103292), (460, 44480, 23388.8), (470, 33209.2, 16156.4),
    (480, 26629.2, 14550), (490, 23684.4, 16684), (500, 20932.8, 20862),
    (510, 20035.2, 25773.6), (520, 24202.4, 31589.6), (530, 39956.8, 39036.4),
    (532, 43876, 40584), (540, 53236, 46592), (550, 43016, 53412),
    (560, 32613.2, 53788), (570, 44496, 45072), (580, 50104, 37020),
    (590, 14400.8, 28324.4), (600, 3200, 14677.2), (610, 1506, 9443.6),
    (620, 942, 6509.6), (630, 610, 5148.8), (640, 442, 4345.2), (650, 368, 3750.12),
    (660, 319.6, 3226.56), (670, 294, 2795.12), (680, 277.6, 2407.92),
    (690, 276, 2051.96), (694, 279.2, 1949.04), (700, 290, 1794.28),
    (710, 314, 1540.48), (720, 348, 1325.88), (730, 390, 1102.2), (740, 446, 1115.88),
    (750, 518, 1405.24), (755, 555.2, 1551.12), (760, 586, 1548.52),
    (770, 650, 1311.88), (780, 710, 1075.44), (790, 756, 890.8), (800, 816, 761.72),
    (810, 864, 717.08), (820, 916, 693.76), (830, 974, 693.04), (840, 1022, 692.36),
    (850, 1058, 691.32), (860, 1092, 694.32), (870, 1128, 705.84),
    (880, 1154, 726.44), (890, 1178, 743.6), (900, 1198, 761.84),
    (910, 1214, 774.56), (920, 1224, 777.36), (930, 1222, 763.84),
    (940, 1214, 693.44), (950, 1204, 602.24), (960, 1186, 525.56),
    (970, 1162, 429.32), (980, 1128, 359.656), (990, 1080, 283.22),
    (1000, 1024, 206.784),
)  # fmt: skip
HB_GRAMS_PER_LITRE = 150.0  # whole blood [V, Prahl]
HB_GRAMS_PER_MOLE = 64500.0  # [V, Prahl]

# Water absorption coefficient (cm^-1), Segelstein 1981 as tabulated by OMLC [V2].
_WATER_TABLE = (
    (445, 0.00024548), (450, 0.00022593), (460, 0.00020748), (470, 0.00019498),
    (480, 0.00018578), (490, 0.00018837), (500, 0.00023230), (510, 0.00031188),
    (520, 0.00037941), (530, 0.00041682), (535, 0.00044356), (540, 0.00048868),
    (550, 0.00055845), (560, 0.00064403), (570, 0.00075680), (579, 0.00096167),
    (590, 0.0013552), (600, 0.0020184), (610, 0.0025524), (619, 0.0028383),
    (629, 0.0029984), (640, 0.0030841), (650, 0.0032358), (661, 0.0036898),
    (670, 0.0039355), (681, 0.0042454), (690, 0.0048303), (695, 0.0053574),
    (700, 0.0060120), (710, 0.0088510), (719, 0.012736), (729, 0.019810),
    (740, 0.024773), (750, 0.026125), (755, 0.026294), (760, 0.026114),
    (769, 0.024950), (780, 0.022706), (791, 0.020374), (800, 0.019640),
    (809, 0.020657), (820, 0.024829), (830, 0.030905), (840, 0.036808),
    (849, 0.043343), (859, 0.048978), (871, 0.054074), (879, 0.057942),
    (889, 0.062224), (900, 0.067924), (910, 0.078707), (920, 0.11338),
    (929, 0.18505), (940, 0.29005), (951, 0.38759), (959, 0.43984), (971, 0.45345),
    (980, 0.43851), (991, 0.41258), (1000, 0.37699), (1009, 0.33477),
    (1021, 0.28948), (1030, 0.24413), (1040, 0.20420), (1050, 0.16983),
    (1059, 0.15414), (1069, 0.14800), (1079, 0.15478), (1089, 0.17297),
    (1099, 0.19530), (1109, 0.23093),
)  # fmt: skip


def _interp(table, wavelength_nm, column=1):
    xs = [row[0] for row in table]
    ys = [row[column] for row in table]
    return float(np.interp(wavelength_nm, xs, ys))


def blood_mua(wavelength_nm: float, saturation: float = 1.0) -> float:
    """Whole-blood absorption (cm^-1) at the given oxygen saturation (0-1)."""
    k = math.log(10) * HB_GRAMS_PER_LITRE / HB_GRAMS_PER_MOLE
    oxy = _interp(_HB_TABLE, wavelength_nm, 1) * k
    deoxy = _interp(_HB_TABLE, wavelength_nm, 2) * k
    return saturation * oxy + (1.0 - saturation) * deoxy


def water_mua(wavelength_nm: float) -> float:
    """Pure-water absorption (cm^-1), Segelstein 1981."""
    return _interp(_WATER_TABLE, wavelength_nm)


def melanin_mua(wavelength_nm: float) -> float:
    """Absorption of melanosomes (cm^-1 at volume fraction 1): 519 (lambda/500)^-3.5 [V2]."""
    return 519.0 * (wavelength_nm / 500.0) ** -3.5


def baseline_mua(wavelength_nm: float) -> float:
    """Bloodless skin baseline (cm^-1): 0.244 + 85.3 exp(-(lambda-154)/66.2) [V]."""
    return 0.244 + 85.3 * math.exp(-(wavelength_nm - 154.0) / 66.2)


def dermis_musp(wavelength_nm: float) -> float:
    """Dermis reduced scattering (cm^-1): 42.4 [0.62 (l/500)^-4 + 0.38 (l/500)^-1] [V]."""
    x = wavelength_nm / 500.0
    return 42.4 * (0.62 * x**-4 + 0.38 * x**-1)


def epidermis_musp(wavelength_nm: float) -> float:
    """Epidermis reduced scattering (cm^-1): 40 (lambda/500)^-1 [V, mcxyz]."""
    return 40.0 * (wavelength_nm / 500.0) ** -1


def fat_musp(wavelength_nm: float) -> float:
    """Subcutaneous fat reduced scattering (cm^-1), power law through PMC6366475 [V2/C]."""
    b = math.log(12.1 / 9.45) / math.log(1064.0 / 670.0)
    return 12.1 * (wavelength_nm / 670.0) ** -b


def epidermis_mua(wavelength_nm: float, fitzpatrick: int) -> float:
    """Epidermal absorption (cm^-1): M mu_a,mel + (1 - M) baseline (OMLC skin optics)."""
    m = MELANOSOME_FRACTION[fitzpatrick]
    return m * melanin_mua(wavelength_nm) + (1.0 - m) * baseline_mua(wavelength_nm)


def dermis_mua(wavelength_nm: float) -> float:
    """Dermal absorption (cm^-1): B mu_a,blood + (1 - B) baseline + W mu_a,water.

    The first two terms are OMLC "Skin optics"' dermis [V2]; the water term follows the
    reference file's worked penetration depths (1.0, 2.5, 2.7, 3.2 mm), which add it
    [C]. The baseline already holds some water, so this errs towards absorbing.
    """
    b, w = DERMIS_BLOOD, DERMIS_WATER
    return (
        b * blood_mua(wavelength_nm, BLOOD_SATURATION)
        + (1.0 - b) * baseline_mua(wavelength_nm)
        + w * water_mua(wavelength_nm)
    )


def fat_mua(wavelength_nm: float) -> float:
    """Subcutaneous fat absorption (cm^-1): blood, water and lipid [U composition]."""
    b, w = FAT_BLOOD, FAT_WATER
    return (
        b * blood_mua(wavelength_nm, BLOOD_SATURATION)
        + w * water_mua(wavelength_nm)
        + (1.0 - b - w) * FAT_LIPID_MUA
    )


def scalp_layers(wavelength_nm: float, fitzpatrick: int) -> list[dict]:
    """The three-layer scalp model at one wavelength, as ``simulate_layers`` takes it.

    Each layer also carries its name and reduced scattering, for display.
    """
    layers = []
    for name, mua, musp, g, thickness in (
        ("epidermis", epidermis_mua(wavelength_nm, fitzpatrick),
         epidermis_musp(wavelength_nm), G_SKIN, EPIDERMIS_CM),
        ("dermis", dermis_mua(wavelength_nm), dermis_musp(wavelength_nm), G_SKIN, DERMIS_CM),
        ("subcutaneous fat", fat_mua(wavelength_nm), fat_musp(wavelength_nm), FAT_G, math.inf),
    ):  # fmt: skip
        layers.append(
            {
                "name": name,
                "mu_a": mua,
                "mu_s": musp / (1.0 - g),
                "mu_s_prime": musp,
                "g": g,
                "n": N_TISSUE,
                "thickness_cm": thickness,
            }
        )
    return layers


def layer_boundaries_mm() -> list[float]:
    """Depths (mm) of the epidermis-dermis and dermis-fat boundaries."""
    return [EPIDERMIS_CM * 10.0, (EPIDERMIS_CM + DERMIS_CM) * 10.0]


def penetration_depth_mm(mua: float, musp: float) -> float:
    """Diffusion-theory optical penetration depth 1/sqrt(3 mu_a (mu_a + mu_s')) in mm."""
    return 10.0 / math.sqrt(3.0 * mua * (mua + musp))


def absorption_spectra(
    fitzpatrick: int, start_nm: int = 450, stop_nm: int = 1100, step_nm: int = 10
):
    """Absorption spectra (cm^-1) for plots: the epidermis's melanin, blood, water."""
    m = MELANOSOME_FRACTION[fitzpatrick]
    nm = list(range(start_nm, stop_nm + 1, step_nm))
    return {
        "wavelength_nm": nm,
        "melanin_epidermis_cm1": [round(m * melanin_mua(x), 4) for x in nm],
        "oxy_blood_cm1": [round(blood_mua(x, 1.0), 4) for x in nm],
        "deoxy_blood_cm1": [round(blood_mua(x, 0.0), 4) for x in nm],
        "water_cm1": [float(f"{water_mua(x):.4g}") for x in nm],
        "melanosome_volume_fraction": m,
        "notes": (
            "Melanin: Jacques 2013 Eq. 8 times the melanosome fraction for this skin type. "
            "Blood: whole blood (150 g/L haemoglobin), Prahl's tabulation; held at its "
            "1000 nm value beyond 1000 nm. Water: Segelstein 1981."
        ),
    }
