"""GEM (Great Expectations Mentoring): yearly cohorts of fellows with mentor coaches.

The lead asks: how far are we from 150 leaders by 2024, how many fellows were promoted,
how many students their work reaches, and did fellows grow in the four areas GEM builds
(trusting relationships, strategic vision, problem solving, perseverance and drive). Four
cohorts (2019-2022) of invented fellows, each with a mentor coach who led in the district;
promotions and students reached are outcomes; each fellow rates themselves on two of the
four areas when their year starts, and their coach rates them when it ends.

Run from any folder:  python gem.py   (writes gem.db there, rebuilt on every run)
"""

import datetime as dt
import random
from pathlib import Path

import mentorkit as mk
from mentorkit.frameworks import Assessment, Rater, load_framework
from mentorkit.measurement import ALL_COHORTS, Target, progress, report_outcomes

DB = Path("gem.db")
DB.unlink(missing_ok=True)  # the script builds its own store afresh on every run
rng = random.Random(2018)
ratings = random.Random(2019)  # its own stream: the ratings leave every other figure as it was
FIRST = ["Amara", "Bo", "Cruz", "Dara", "Eli", "Faye", "Gus", "Hana", "Ines", "Jai", "Kofi", "Lia"]
LAST = ["Abara", "Brell", "Castel", "Dunmore", "Esterly", "Fallow", "Garnet", "Hollis", "Ivers"]


def name(k: int) -> str:
    return f"{FIRST[k % len(FIRST)]} {LAST[(k // len(FIRST)) % len(LAST)]}"


store = mk.open_store(f"sqlite:///{DB}")
store.put(
    mk.Program(
        id="gem",
        name="Great Expectations Mentoring",
        description="Year-long mentoring for equity-minded school and district leaders",
        framework_id="leader-growth",
    )
)
framework = load_framework("leader-growth")
LEVELS = framework.scale.codes  # needs_improvement, developing, proficient, exemplary
AREAS = ["trusting_relationships", "strategic_vision", "problem_solving", "perseverance_and_drive"]
store.put(mk.OrgUnit(id="district", name="Invented City Schools", kind="district"))
coaches = [
    mk.Person(
        id=f"coach-{k}",
        name=name(k + 50),
        title="Retired Network Chief",
        org_unit_id="district",
    )
    for k in range(12)
]
store.put_many(coaches)

cohort_sizes = {2019: 27, 2020: 28, 2021: 28, 2022: 31}  # three cohorts hold 83 by June 2022
fellow_no = 0
for year, size in cohort_sizes.items():
    cohort = store.put(
        mk.Cohort(
            id=f"gem-{year}",
            program_id="gem",
            name=f"GEM {year}-{year + 1}",
            start=dt.date(year, 8, 1),
            end=dt.date(year + 1, 6, 30),
        )
    )
    entities: list[mk.Entity] = []
    for k in range(size):
        fellow_no += 1
        pid = f"fellow-{fellow_no:03}"
        coach = coaches[k % len(coaches)]
        entities += [
            mk.Person(
                id=pid,
                name=name(fellow_no),
                title=rng.choice(
                    ["Assistant Principal", "Network Specialist", "Central Office Manager"]
                ),
                org_unit_id="district",
            ),
            mk.Enrollment(
                id=f"enr-{pid}",
                person_id=pid,
                cohort_id=cohort.id,
                role="mentee",
                status="completed" if year < 2022 else "active",
                focus_competencies=ratings.sample(AREAS, 2),
            ),
            mk.Mentorship(
                id=f"ms-{pid}",
                mentor_id=coach.id,
                mentee_id=pid,
                kind="coaching",
                start=cohort.start,
                end=cohort.end,
                program_id="gem",
                cohort_id=cohort.id,
            ),
            mk.Outcome(
                id=f"reach-{pid}",
                person_id=pid,
                kind="students_reached",
                date=cohort.end,
                value=rng.randint(250, 900),
            ),
        ]
        focus = entities[1].focus_competencies  # type: ignore[attr-defined]
        for area in focus:  # the fellow's own rating when the year starts, the coach's at its end
            start = ratings.choice([0, 1, 1, 2])
            entities.append(
                Assessment(
                    id=f"self-{pid}-{area}",
                    person_id=pid,
                    framework_id=framework.id,
                    competency=area,
                    level=LEVELS[start],
                    date=cohort.start + dt.timedelta(days=21),
                    rater=Rater.SELF,
                )
            )
            if year < 2022:
                entities.append(
                    Assessment(
                        id=f"coach-{pid}-{area}",
                        person_id=pid,
                        framework_id=framework.id,
                        competency=area,
                        level=LEVELS[min(3, start + ratings.choice([0, 0, 0, 1, 1, 2]))],
                        date=cohort.end - dt.timedelta(days=14),
                        rater=Rater.COACH,
                        rater_id=coach.id,
                    )
                )
        if year < 2022 and rng.random() < 0.55:  # "nearly half" promoted within the district
            entities.append(
                mk.Outcome(
                    id=f"promo-{pid}",
                    person_id=pid,
                    kind="promotion",
                    date=cohort.start + dt.timedelta(days=rng.randint(150, 700)),
                )
            )
        entities += [
            mk.Enrollment(
                id=f"enr-{coach.id}-{year}",
                person_id=coach.id,
                cohort_id=cohort.id,
                role="mentor",
                status="completed",
            )
            for coach in coaches
            if k == 0
        ]
    store.put_many(entities)

target = store.put(
    Target(
        id="gem-150",
        name="150 leaders supported by 2024",
        program_id="gem",
        measure="mentees",
        count=150,
        deadline=dt.date(2024, 6, 30),
        start=dt.date(2018, 8, 1),
    )
)
june_2022 = progress(target, store, as_of=dt.date(2022, 6, 30))
now = progress(target, store, as_of=dt.date(2023, 6, 30))
print("How far are we from 150 by 2024?")
print(f"  June 2022: {june_2022.reached} fellows supported, {june_2022.remaining} to go")
print(
    f"  June 2023: {now.reached} fellows supported, {now.remaining} to go; "
    f"projected {now.projected:.0f} by {target.deadline}: "
    f"{'on track' if now.on_track else 'behind pace'}"
)
print(now.to_text())

outcomes = report_outcomes(store, program_id="gem")
print("\nPromotions and students reached, by cohort:")
print(outcomes.to_text())
rows = {row.cohort_id: row for row in outcomes if row.group is None}
# The report as it stood in June 2022, each cohort's outcomes known once its own school
# year had ended (within_years=0): the 2022-23 cohort had not begun, so it is not in it.
june = report_outcomes(store, program_id="gem", as_of=dt.date(2022, 6, 30), within_years=0)
cohorts = [row for row in june if not row.total]
total = next(row for row in june if row.total)  # the program's fellows that day
print(
    f"\nBy June 2022 ({len(cohorts)} cohorts): {total.promoted} of {total.mentees} fellows "
    f"promoted ({total.promotion_rate:.0%}); these {total.mentees} fellows' own work "
    f"reaches {total.students_reached:,} students"
)
growth = rows[ALL_COHORTS]  # only the first three cohorts have ended: the others' are rated once
print(
    f"Grew in their two focus areas (coach's rating at the end against their own at the "
    f"start): {growth.grew} of {growth.assessed} fellows, {growth.mean_growth_steps:.1f} "
    f"levels per area on average (a cohort's own figures are withheld: fewer than 10 stayed level)"
)
store.close()
