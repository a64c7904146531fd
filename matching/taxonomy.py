"""The matching vocabulary: support offered and wanted, industries, interests and free times.

Each list is ordered and its position is the bit used in the engine's bitmasks, so entries are
only ever appended, never reordered or removed (a retired entry keeps its place). Codes are what
profiles and spreadsheets store; labels are what people read in explanations.
"""

from __future__ import annotations

SUPPORT: tuple[tuple[str, str], ...] = (
    ("career_options", "exploring career options"),
    ("cv_applications", "CVs and applications"),
    ("interview_practice", "interview practice"),
    ("university_choices", "choosing a university course"),
    ("apprenticeships", "finding an apprenticeship"),
    ("work_experience", "getting work experience"),
    ("confidence", "building confidence"),
    ("study_skills", "study skills and exams"),
    ("networking", "building a professional network"),
    ("starting_business", "starting a business"),
    ("first_job", "settling into a first job"),
    ("wellbeing_balance", "balancing work, study and wellbeing"),
    ("money_independence", "money and independent living"),
)

INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("law", "law"),
    ("healthcare", "healthcare and medicine"),
    ("engineering", "engineering"),
    ("technology", "technology and software"),
    ("finance", "finance and accounting"),
    ("creative_arts", "the creative arts"),
    ("media", "media and journalism"),
    ("education", "teaching and education"),
    ("public_service", "public service and government"),
    ("science", "science and research"),
    ("construction", "construction and property"),
    ("hospitality_retail", "hospitality and retail"),
    ("museums_heritage", "museums and heritage"),
    ("charity", "charities and social enterprise"),
    ("sport", "sport and fitness"),
    ("marketing", "marketing and advertising"),
    ("transport_logistics", "transport and logistics"),
    ("trades", "skilled trades"),
    ("emergency_services", "the emergency services and armed forces"),
    ("environment", "energy and the environment"),
    ("business_management", "business and management"),
)

INTERESTS: tuple[tuple[str, str], ...] = (
    ("photography", "photography"),
    ("football", "football"),
    ("music", "music"),
    ("gaming", "video games"),
    ("reading", "reading"),
    ("cooking", "cooking"),
    ("art", "art"),
    ("running", "running"),
    ("volunteering", "volunteering"),
    ("fashion", "fashion"),
    ("film", "film"),
    ("coding", "coding"),
    ("travel", "travel"),
    ("dance", "dance"),
    ("chess", "chess"),
    ("basketball", "basketball"),
    ("theatre", "theatre"),
    ("writing", "writing"),
    ("nature", "the outdoors"),
    ("history", "history"),
    ("cricket", "cricket"),
    ("languages", "languages"),
    ("politics", "politics"),
    ("cars", "motorsport"),
    ("science_space", "science and space"),
    ("sport_fitness", "sport and fitness"),
)

DAYS: tuple[tuple[str, str], ...] = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)

PARTS_OF_DAY: tuple[tuple[str, str], ...] = (
    ("morning", "morning"),
    ("lunchtime", "lunchtime"),
    ("afternoon", "afternoon"),
    ("evening", "evening"),
)

assert len(SUPPORT) <= 64 and len(INDUSTRIES) <= 64 and len(INTERESTS) <= 64


def availability_bit(day: int, part: int) -> int:
    """The bit for one part of one day (day 0 = Monday, part 0 = morning)."""
    return day * len(PARTS_OF_DAY) + part


def bit_of(vocabulary: tuple[tuple[str, str], ...], code: str) -> int:
    for position, (entry_code, _label) in enumerate(vocabulary):
        if entry_code == code:
            return position
    raise KeyError(code)


def mask_of(vocabulary: tuple[tuple[str, str], ...], codes) -> int:
    """A bitmask with the bit of each code set; raises KeyError for an unknown code."""
    mask = 0
    for code in codes:
        mask |= 1 << bit_of(vocabulary, code)
    return mask


def availability_mask(slots) -> int:
    """A bitmask from (day code, part code) pairs, e.g. [("mon", "evening"), ("sat", "morning")]."""
    mask = 0
    for day_code, part_code in slots:
        mask |= 1 << availability_bit(bit_of(DAYS, day_code), bit_of(PARTS_OF_DAY, part_code))
    return mask
