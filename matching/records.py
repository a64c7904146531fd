"""The seam between stored profiles and the engine: plain Python records in, engine tables out.

A caller (the spreadsheet command today, the database round builder later) fills one
`MenteeRecord` per mentee and one `MentorRecord` per mentor with codes from
`matching.taxonomy`, and `build_tables` turns them into the arrays the engine works on. Facts
that are missing stay missing (None becomes "not recorded"), so the engine can say why a
person is not eligible instead of guessing. There is no field for ethnicity, disability or any
other special category of personal data.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from matching import taxonomy
from matching.engine import Exclusions, MenteeTable, MentorTable, make_table


@dataclass(frozen=True)
class MenteeRecord:
    id: Hashable
    age: int | None
    region: str | None
    needs: Sequence[str] = ()  # support codes, the first-priority need first
    industries: Sequence[str] = ()  # industries of interest
    interests: Sequence[str] = ()
    availability: Sequence[tuple[str, str]] = ()  # (day code, part-of-day code)
    remote_ok: bool = True
    outside_region_ok: bool = False
    accepts_one_to_two: bool = False
    prefers_one_to_two: bool = False
    consent: bool = False
    parental_consent: bool = False
    induction_done: bool = False
    organisation: Hashable | None = None
    conflicts: Sequence[Hashable] = ()  # mentor ids with a declared conflict of interest


@dataclass(frozen=True)
class MentorRecord:
    id: Hashable
    region: str | None
    offers: Sequence[str] = ()
    industries: Sequence[str] = ()
    job_title: str = ""
    # The industry the job title belongs to (one of `industries`); when not given, the mentor's only
    # industry, and no industry at all when they list several.
    job_industry: str | None = None
    interests: Sequence[str] = ()
    availability: Sequence[tuple[str, str]] = ()
    remote_ok: bool = True
    capacity: int = 1
    open_to_one_to_two: bool = False
    approved: bool = False
    fully_trained: bool = False
    enhanced_check: bool = False  # a valid enhanced check with barred list
    organisation: Hashable | None = None
    conflicts: Sequence[Hashable] = ()  # mentee ids with a declared conflict of interest
    current_mentees: int = 0  # places already taken by open relationships


@dataclass
class BuiltRound:
    mentees: MenteeTable
    mentors: MentorTable
    exclusions: Exclusions
    mentee_row: dict = field(default_factory=dict)  # id -> row
    mentor_row: dict = field(default_factory=dict)
    mentor_job_titles: list[str] = field(default_factory=list)
    mentor_job_industries: list[int] = field(default_factory=list)  # bit of the title's industry, -1
    places_taken: np.ndarray | None = None

    def pairs(self, id_pairs) -> np.ndarray:
        """(mentee id, mentor id) pairs as table rows; unknown ids raise KeyError."""
        rows = [(self.mentee_row[mentee_id], self.mentor_row[mentor_id]) for mentee_id, mentor_id in id_pairs]
        return np.asarray(rows, np.int64).reshape(-1, 2)


def build_tables(
    mentees: Sequence[MenteeRecord],
    mentors: Sequence[MentorRecord],
    *,
    regions: Sequence[str],
    rejected_pairs: Sequence[tuple[Hashable, Hashable]] = (),
) -> BuiltRound:
    """Engine tables from records. `regions` lists region codes; a region's code is its position.

    Unknown taxonomy or region codes raise ValueError (records are validated where they are
    made); missing facts become "not recorded". Conflicts declared by either side and pairs a
    coordinator already rejected become exclusions; ids not in this round are ignored."""
    region_code = {code: position for position, code in enumerate(regions)}
    organisations: dict[Hashable, int] = {}

    def organisation_code(value) -> int:
        if value in (None, ""):
            return -1
        return organisations.setdefault(value, len(organisations))

    def region_of(value) -> int:
        if value in (None, ""):
            return -1
        if value not in region_code:
            raise ValueError(f"unknown region {value!r}")
        return region_code[value]

    def mask(vocabulary, codes, what) -> int:
        try:
            return taxonomy.mask_of(vocabulary, codes)
        except KeyError as error:
            raise ValueError(f"unknown {what} {error.args[0]!r}") from None

    def availability(slots) -> int:
        try:
            return taxonomy.availability_mask(slots)
        except KeyError as error:
            raise ValueError(f"unknown day or part of day {error.args[0]!r}") from None

    mentee_row = {}
    for position, record in enumerate(mentees):
        if record.id in mentee_row:
            raise ValueError(f"mentee id {record.id!r} appears twice")
        mentee_row[record.id] = position
    mentor_row = {}
    for position, record in enumerate(mentors):
        if record.id in mentor_row:
            raise ValueError(f"mentor id {record.id!r} appears twice")
        mentor_row[record.id] = position

    ages = [record.age if record.age is not None else -1 for record in mentees]
    mentee_table = make_table(
        MenteeTable,
        ids=np.asarray([record.id for record in mentees] or [], dtype=object),
        region=[region_of(record.region) for record in mentees],
        remote_ok=[record.remote_ok for record in mentees],
        outside_region_ok=[record.outside_region_ok for record in mentees],
        needs=[mask(taxonomy.SUPPORT, record.needs, "support") for record in mentees],
        first_need=[
            taxonomy.bit_of(taxonomy.SUPPORT, record.needs[0]) if record.needs else -1 for record in mentees
        ],
        industries=[mask(taxonomy.INDUSTRIES, record.industries, "industry") for record in mentees],
        interests=[mask(taxonomy.INTERESTS, record.interests, "interest") for record in mentees],
        availability=[availability(record.availability) for record in mentees],
        accepts_one_to_two=[record.accepts_one_to_two for record in mentees],
        prefers_one_to_two=[record.prefers_one_to_two for record in mentees],
        age=ages,
        under_18=[0 <= age < 18 for age in ages],
        under_16=[0 <= age < 16 for age in ages],
        consent=[record.consent for record in mentees],
        parental_consent=[record.parental_consent for record in mentees],
        induction_done=[record.induction_done for record in mentees],
        organisation=[organisation_code(record.organisation) for record in mentees],
    )
    mentor_table = make_table(
        MentorTable,
        ids=np.asarray([record.id for record in mentors] or [], dtype=object),
        region=[region_of(record.region) for record in mentors],
        remote_ok=[record.remote_ok for record in mentors],
        offers=[mask(taxonomy.SUPPORT, record.offers, "support") for record in mentors],
        industries=[mask(taxonomy.INDUSTRIES, record.industries, "industry") for record in mentors],
        interests=[mask(taxonomy.INTERESTS, record.interests, "interest") for record in mentors],
        availability=[availability(record.availability) for record in mentors],
        capacity=[record.capacity for record in mentors],
        open_to_one_to_two=[record.open_to_one_to_two for record in mentors],
        approved=[record.approved for record in mentors],
        fully_trained=[record.fully_trained for record in mentors],
        enhanced_check=[record.enhanced_check for record in mentors],
        organisation=[organisation_code(record.organisation) for record in mentors],
    )

    conflicts = set()
    for record in mentees:
        for mentor_id in record.conflicts:
            if mentor_id in mentor_row:
                conflicts.add((mentee_row[record.id], mentor_row[mentor_id]))
    for record in mentors:
        for mentee_id in record.conflicts:
            if mentee_id in mentee_row:
                conflicts.add((mentee_row[mentee_id], mentor_row[record.id]))
    rejected = {
        (mentee_row[mentee_id], mentor_row[mentor_id])
        for mentee_id, mentor_id in rejected_pairs
        if mentee_id in mentee_row and mentor_id in mentor_row
    }
    exclusions = Exclusions(
        conflicts=np.asarray(sorted(conflicts), np.int64).reshape(-1, 2),
        rejected=np.asarray(sorted(rejected), np.int64).reshape(-1, 2),
    )
    return BuiltRound(
        mentees=mentee_table,
        mentors=mentor_table,
        exclusions=exclusions,
        mentee_row=mentee_row,
        mentor_row=mentor_row,
        mentor_job_titles=[record.job_title for record in mentors],
        mentor_job_industries=[_job_industry(record) for record in mentors],
        places_taken=np.asarray([record.current_mentees for record in mentors], np.int64),
    )


_INDUSTRY_BIT = {code: bit for bit, (code, _label) in enumerate(taxonomy.INDUSTRIES)}


def _job_industry(record: MentorRecord) -> int:
    """The bit of the industry a mentor's job title belongs to, or -1 when it is not known."""
    code = record.job_industry
    if code is None and len(set(record.industries)) == 1:
        code = record.industries[0]
    if code is None or code not in record.industries:
        return -1
    return _INDUSTRY_BIT.get(code, -1)
