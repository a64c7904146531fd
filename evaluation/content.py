"""The instruments every installation starts with, and an idempotent loader for them.

Mentee pre and post items are mirrored (same code) so answers pair. Every mentee item has plain
wording for under-16s.

Survey versions: an item keeps its code for as long as it keeps its meaning, even if reworded (the
dashboards then show both wordings). If only its code must change, the new question names the old
code in `replaces` (here, or "continues the item" in the question form), and answers to both are
compared as one item. An item whose meaning changed gets a new code and no `replaces`: it is never
paired with the old one.
"""

MENTEE_PRE = "mentee-pre"
MENTEE_POST = "mentee-post"
MENTOR_PRE = "mentor-pre"
MENTOR_POST = "mentor-post"
TRAINING = "training-feedback"
WORKSHOP = "workshop-feedback"
MIDPOINT = "midpoint-check-in"
PULSE = "relationship-pulse"
EXIT = "exit-survey"

# (code, kind, theme, wording, plain wording for under-16s, headline)
MENTEE_MIRRORED = [
    (
        "experience_training",
        "agree",
        "empowerment",
        "I know how to go about getting the experience or training I need "
        "for the job or qualification I want.",
        "I know how to get the experience or training I need for the job I want.",
        True,
    ),
    (
        "positive_future",
        "agree",
        "wellbeing",
        "I feel positive about my future.",
        "I feel good about my future.",
        True,
    ),
    (
        "advice_contact",
        "agree",
        "social_connectedness",
        "I know someone I can call on for advice about work.",
        "I know someone I can ask for advice about jobs.",
        True,
    ),
    (
        "talk_to_adults",
        "agree",
        "confidence",
        "I feel confident talking to adults I have not met before, such as employers.",
        "I feel OK talking to adults I don't know yet, like people at work.",
        False,
    ),
    (
        "routes_into_work",
        "agree",
        "awareness",
        "I know about the different routes into work: apprenticeships, college, university and jobs.",
        "I know about different ways into work, like apprenticeships, college, university or a job.",
        False,
    ),
    (
        "cv_interview",
        "agree",
        "employability",
        "I could write a good application or CV and prepare for an interview.",
        "I know how to write a CV and get ready for an interview.",
        False,
    ),
    (
        "working_life",
        "agree",
        "world_of_work",
        "I have a good idea of what working life is like in a job that interests me.",
        "I know what a day at work is like in a job I am interested in.",
        False,
    ),
    (
        "set_goals",
        "agree",
        "personal_effectiveness",
        "I set myself goals and take steps to reach them.",
        "I set goals and do things to reach them.",
        False,
    ),
    (
        "try_again",
        "agree",
        "resilience",
        "When things go wrong, I can pick myself up and try again.",
        "When things go wrong, I can have another go.",
        False,
    ),
    (
        "cope_pressure",
        "agree",
        "wellbeing",
        "I feel able to cope with the pressures of school, college or work.",
        "I can cope when school or college gets stressful.",
        False,
    ),
]

HELP_WANTED = [
    "Choosing a career or course",
    "Writing applications and CVs",
    "Practising for interviews",
    "Feeling more confident",
    "Finding work experience",
    "Study skills and exams",
    "Understanding university",
    "Finding out about apprenticeships",
    "Starting my own business",
    "Managing stress",
]

WORK_INTERESTS = [
    "Health and care",
    "Engineering and manufacturing",
    "Creative industries and media",
    "Technology and digital",
    "Business, finance and law",
    "Science and research",
    "Education and childcare",
    "Public services (police, fire, armed forces)",
    "Construction and trades",
    "Hospitality, sport and leisure",
    "I'm not sure yet",
]


def _mirrored():
    return [
        {
            "code": code,
            "kind": kind,
            "theme": theme,
            "text": text,
            "text_plain": plain,
            "is_headline": headline,
        }
        for code, kind, theme, text, plain, headline in MENTEE_MIRRORED
    ]


MENTOR_MIRRORED = [
    {
        "code": "mentor_support_goals",
        "kind": "agree",
        "theme": "self_efficacy",
        "text": "I feel able to help a young person set goals and work towards them.",
        "is_headline": True,
    },
    {
        "code": "mentor_share_experience",
        "kind": "agree",
        "theme": "confidence",
        "text": "I can share my experience of work in a way a young person can use.",
    },
    {
        "code": "mentor_safeguarding",
        "kind": "agree",
        "theme": "programme_quality",
        "text": "I understand my safeguarding responsibilities and who to tell if I am worried.",
    },
    {
        "code": "mentor_useful_sessions",
        "kind": "agree",
        "theme": "personal_effectiveness",
        "text": "I know how to make an hour with a young person useful to them.",
    },
]

INSTRUMENTS = [
    {
        "slug": MENTEE_PRE,
        "name": "Mentee pre-evaluation",
        "purpose": "mentee_pre",
        "description": "Completed by every young person when they apply, before they meet their mentor.",
        "introduction": (
            "Before you start, tell us where you are now. There are no right or wrong answers, and your "
            "mentor will not see what you write. At the end of your mentoring we will ask again, so we "
            "can see what has changed."
        ),
        "introduction_plain": (
            "Before you start, tell us how things are for you now. There are no right or wrong answers. "
            "Your mentor will not see your answers. We will ask you again at the end."
        ),
        "questions": [
            *_mirrored(),
            {
                "code": "help_wanted",
                "kind": "multiple",
                "theme": "needs",
                "text": "What would you most like help with from a mentor? Choose all that apply.",
                "text_plain": "What would you like your mentor to help you with? You can pick more than one.",
                "choices": HELP_WANTED,
            },
            {
                "code": "work_interests",
                "kind": "multiple",
                "theme": "needs",
                "text": "Which areas of work interest you? Choose all that apply.",
                "text_plain": "Which kinds of jobs sound interesting to you? You can pick more than one.",
                "choices": WORK_INTERESTS,
            },
            {
                "code": "anything_else_pre",
                "kind": "text",
                "theme": "needs",
                "text": "Is there anything else you would like us to know when we find you a mentor?",
                "text_plain": "Is there anything else we should know when we find you a mentor?",
                "required": False,
            },
        ],
    },
    {
        "slug": MENTEE_POST,
        "name": "Mentee post-evaluation",
        "purpose": "mentee_post",
        "description": "Completed at the end of mentoring; paired with the same person's pre-evaluation.",
        "introduction": (
            "Your mentoring has come to an end. Please answer the same questions as when you started, "
            "so we can see what has changed. Your mentor will not see your answers."
        ),
        "introduction_plain": (
            "Your mentoring has finished. Please answer the same questions as at the start, so we can see "
            "what has changed. Your mentor will not see your answers."
        ),
        "questions": [
            *_mirrored(),
            {
                "code": "mentee_recommend",
                "kind": "nps",
                "theme": "programme_quality",
                "text": "How likely are you to recommend having a mentor to a friend? "
                "(0 = not at all, 10 = definitely)",
                "text_plain": "Would you tell a friend to get a mentor? (0 = no way, 10 = definitely)",
            },
            {
                "code": "most_useful",
                "kind": "text",
                "theme": "programme_quality",
                "text": "What was the most useful thing you did with your mentor?",
                "text_plain": "What was the best or most useful thing you did with your mentor?",
                "required": False,
            },
        ],
    },
    {
        "slug": MENTOR_PRE,
        "name": "Mentor pre-evaluation",
        "purpose": "mentor_pre",
        "description": "Completed by every mentor when they apply.",
        "introduction": "Tell us how prepared you feel now. We will ask again when your mentoring ends.",
        "questions": MENTOR_MIRRORED,
    },
    {
        "slug": MENTOR_POST,
        "name": "Mentor post-evaluation",
        "purpose": "mentor_post",
        "description": "Completed when a mentoring relationship closes.",
        "introduction": "Thank you for mentoring. Tell us how it went and what we could do better.",
        "questions": [
            *MENTOR_MIRRORED,
            {
                "code": "mentor_own_skills",
                "kind": "agree",
                "theme": "employability",
                "text": "Mentoring has developed my own skills, such as listening and coaching.",
            },
            {
                "code": "mentor_recommend",
                "kind": "nps",
                "theme": "programme_quality",
                "text": "How likely are you to recommend mentoring with us to a friend or colleague? "
                "(0 = not at all likely, 10 = extremely likely)",
            },
            {
                "code": "mentor_improve",
                "kind": "text",
                "theme": "programme_quality",
                "text": "What one thing would have made your mentoring easier or better?",
                "required": False,
            },
        ],
    },
    {
        "slug": TRAINING,
        "name": "Training feedback",
        "purpose": "training",
        "description": "Sent when a mentor completes the online training.",
        "introduction": "You have finished the online training. Two minutes of feedback helps us improve it.",
        "questions": [
            {
                "code": "training_first_meeting",
                "kind": "agree",
                "theme": "programme_quality",
                "text": "The training prepared me for my first meeting with a mentee.",
            },
            {
                "code": "training_safeguarding_clear",
                "kind": "agree",
                "theme": "programme_quality",
                "text": "The safeguarding section made it clear what to do "
                "if a young person tells me something worrying.",
            },
            {
                "code": "training_rating",
                "kind": "single",
                "theme": "programme_quality",
                "text": "Overall, how would you rate the training?",
                "choices": ["Excellent", "Good", "Adequate", "Poor"],
            },
            {
                "code": "training_recommend",
                "kind": "nps",
                "theme": "programme_quality",
                "text": "How likely are you to recommend this training to another mentor? (0-10)",
            },
            {
                "code": "training_improve",
                "kind": "text",
                "theme": "programme_quality",
                "text": "What should we add, cut or explain better?",
                "required": False,
            },
        ],
    },
    {
        "slug": WORKSHOP,
        "name": "Workshop feedback",
        "purpose": "workshop",
        "description": "Sent after the two-hour core workshop.",
        "introduction": "Thank you for coming to the workshop. Tell us what worked.",
        "questions": [
            {
                "code": "workshop_practical",
                "kind": "agree",
                "theme": "programme_quality",
                "text": "The workshop gave me practical ideas I will use in my sessions.",
            },
            {
                "code": "workshop_questions",
                "kind": "agree",
                "theme": "programme_quality",
                "text": "I had enough chances to ask questions.",
            },
            {
                "code": "workshop_length",
                "kind": "single",
                "theme": "programme_quality",
                "text": "Was the workshop the right length?",
                "choices": ["Too short", "About right", "Too long"],
            },
            {
                "code": "workshop_comments",
                "kind": "text",
                "theme": "programme_quality",
                "text": "Any other comments on the workshop?",
                "required": False,
            },
        ],
    },
    {
        "slug": MIDPOINT,
        "name": "Mid-point check-in",
        "purpose": "midpoint",
        "description": "Halfway through a relationship, for mentor and mentee.",
        "introduction": "You are halfway through. A quick check on how things are going.",
        "introduction_plain": "You are halfway there! Tell us quickly how it is going.",
        "questions": [
            {
                "code": "midpoint_goals_progress",
                "kind": "agree",
                "theme": "personal_effectiveness",
                "text": "Our sessions are helping to move towards the goals we set.",
                "text_plain": "Our meetings are helping with the goals we set.",
            },
            {
                "code": "midpoint_met_recently",
                "kind": "yes_no",
                "theme": "programme_quality",
                "text": "Have you had a session in the last month?",
                "text_plain": "Have you met in the last month?",
            },
            {
                "code": "midpoint_goal_status",
                "kind": "single",
                "theme": "personal_effectiveness",
                "text": "How are the goals going?",
                "choices": ["On track", "Some progress", "Stuck", "We have not set goals yet"],
            },
            {
                "code": "midpoint_more_useful",
                "kind": "text",
                "theme": "programme_quality",
                "text": "Is there anything that would make the sessions more useful?",
                "text_plain": "What would make your meetings better?",
                "required": False,
            },
        ],
    },
    {
        "slug": PULSE,
        "name": "How is it going?",
        "purpose": "pulse",
        "description": "A short pulse after the third session.",
        "introduction": "You have had three sessions. How is it going?",
        "introduction_plain": "You have met three times now. How is it going?",
        "questions": [
            {
                "code": "pulse_going",
                "kind": "single",
                "theme": "programme_quality",
                "text": "How is the mentoring going?",
                "text_plain": "How are things going with your mentor?",
                "choices": ["Really well", "Quite well", "Not sure", "Not well"],
            },
            {
                "code": "pulse_comfortable",
                "kind": "yes_no",
                "theme": "social_connectedness",
                "text": "Do you feel comfortable and able to be yourself in your sessions?",
                "text_plain": "Do you feel OK to be yourself when you meet?",
            },
            {
                "code": "pulse_tell_coordinator",
                "kind": "text",
                "theme": "programme_quality",
                "text": "Is there anything you would like your coordinator to know?",
                "text_plain": "Is there anything you want your coordinator to know?",
                "required": False,
            },
        ],
    },
    {
        "slug": EXIT,
        "name": "Exit survey",
        "purpose": "exit",
        "description": "Sent to mentor and mentee when a relationship ends early.",
        "introduction": "Your mentoring ended earlier than planned. Telling us why helps us support others.",
        "introduction_plain": "Your mentoring finished early. Please tell us why, so we can help others.",
        "questions": [
            {
                "code": "exit_reason",
                "kind": "single",
                "theme": "programme_quality",
                "text": "What is the main reason the mentoring ended early?",
                "text_plain": "What is the main reason it finished early?",
                "choices": [
                    "Not enough time",
                    "Moved away, or changed school, college or job",
                    "It was not what I expected",
                    "We did not get on",
                    "Sessions were hard to arrange",
                    "Health or personal reasons",
                    "Another reason",
                ],
            },
            {
                "code": "exit_supported",
                "kind": "agree",
                "theme": "programme_quality",
                "text": "I felt supported by the programme when things became difficult.",
                "text_plain": "People from the programme helped me when things got hard.",
            },
            {
                "code": "exit_match_again",
                "kind": "yes_no",
                "theme": "programme_quality",
                "text": "Would you like to take part again in future?",
                "text_plain": "Would you like to have a mentor (or be one) again one day?",
            },
            {
                "code": "exit_comments",
                "kind": "text",
                "theme": "programme_quality",
                "text": "Anything else you would like to tell us?",
                "required": False,
            },
        ],
    },
]


def load_instruments(app_registry) -> int:
    """Create any seeded instrument that does not exist yet (published version 1). Returns how many.

    Takes an app registry so a data migration can call it with historical models. Instruments that
    already exist are left alone, so staff edits survive and re-running adds nothing.
    """
    from django.utils import timezone

    instrument_model = app_registry.get_model("evaluation", "Instrument")
    version_model = app_registry.get_model("evaluation", "InstrumentVersion")
    question_model = app_registry.get_model("evaluation", "Question")
    created = 0
    for spec in INSTRUMENTS:
        instrument, is_new = instrument_model.objects.get_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "purpose": spec["purpose"], "description": spec["description"]},
        )
        if not is_new and version_model.objects.filter(instrument=instrument).exists():
            continue
        version = version_model.objects.create(
            instrument=instrument,
            number=1,
            status="published",
            published_at=timezone.now(),
            introduction=spec.get("introduction", ""),
            introduction_plain=spec.get("introduction_plain", ""),
        )
        question_model.objects.bulk_create(
            question_model(
                version=version,
                position=position,
                code=question["code"],
                kind=question["kind"],
                theme=question["theme"],
                text=question["text"],
                text_plain=question.get("text_plain", ""),
                choices=question.get("choices", []),
                required=question.get("required", True),
                is_headline=question.get("is_headline", False),
                # Only when given: migration 0002 seeds with a Question model that has no such field.
                **({"replaces": question["replaces"]} if question.get("replaces") else {}),
            )
            for position, question in enumerate(spec["questions"], start=1)
        )
        created += 1
    return created
