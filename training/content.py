# ruff: noqa: E501  (course prose reads better unwrapped)
"""Starter course content: Level One (17 modules), Level Two, Level Three and the mentee induction.

Each course is a dict; `load_training_content` turns them into a first published version.
Choices are (text, is_correct, feedback).
"""

SINGLE, MULTIPLE, SCENARIO = "single", "multiple", "scenario"


def q(kind, prompt, explanation, choices):
    return {"kind": kind, "prompt": prompt, "explanation": explanation, "choices": choices}


def m(title, minutes, body, questions, worksheet=""):
    return {
        "title": title,
        "minutes": minutes,
        "body": body.strip(),
        "questions": questions,
        "worksheet": worksheet.strip(),
    }


LEVEL_ONE = {
    "slug": "level-one-heart-of-the-matter",
    "title": "Level One: Heart of the Matter",
    "audience": "mentor",
    "is_mandatory": True,
    "order": 1,
    "summary": (
        "The essential course for every new mentor: what mentoring is, your first meeting, the qualities "
        "that make a good mentor, practical skills, opening doors for your mentee, and safeguarding. "
        "About 90 minutes in 17 short modules, each with a quiz."
    ),
    "sections": [
        (
            "Introduction",
            [
                m(
                    "Welcome: what a mentor is and is not",
                    5,
                    """
A mentor is a trusted adult who gives a young person one hour a month of their time, attention and
experience. You are not a teacher, a parent, a counsellor or a careers adviser. You are someone on
their side who has been a little further down the road.

Young people tell us what they value most: someone who **listens**, who **believes in them**, and who
can **show them how the world of work actually works**. You do not need to be an expert in anything
except your own experience.

**What you commit to**

- One hour a month, for up to twelve months.
- Completing this training and the two-hour core workshop before you are matched.
- Following the safeguarding guidelines in the last section of this course.
""",
                    [
                        q(
                            SINGLE,
                            "Which of these best describes your role as a mentor?",
                            "A mentor offers time, attention and experience. Other professionals cover teaching, therapy and formal careers advice.",
                            [
                                (
                                    "A trusted adult who listens and shares experience",
                                    True,
                                    "Yes: that is the heart of it.",
                                ),
                                (
                                    "A tutor who helps with homework",
                                    False,
                                    "Schoolwork may come up, but tutoring is not the role.",
                                ),
                                (
                                    "A counsellor who helps with personal problems",
                                    False,
                                    "Mentors are not counsellors; module 8 explains where the line is.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "The five key ingredients of an effective session",
                    7,
                    """
Evaluations of mentoring sessions keep finding the same five ingredients. Sessions that have all five
are the ones young people remember.

1. **Goals, short and long term, set and tracked.** Every session moves something forward.
2. **Content tailored to your mentee's needs.** Their questions set the agenda, not your lesson plan.
3. **Real-world opportunities**, or guidance on how to reach them where safeguarding limits direct access.
4. **Continuity between sessions.** End each session with a short note of what you will both do next time.
5. **A safe, non-judgemental space.** Your mentee can say "I don't know" or "I failed" without fear.

You do not need a rigid plan. Mentors who over-prepare often find the session works better when they
ask "what would be most useful to talk about today?"
""",
                    [
                        q(
                            MULTIPLE,
                            "Which of these are among the five key ingredients? Choose all that apply.",
                            "The five are: goals set and tracked, tailored content, real-world opportunities, continuity between sessions, and a safe non-judgemental space.",
                            [
                                ("Goals set and tracked", True, ""),
                                (
                                    "A detailed lesson plan for every session",
                                    False,
                                    "Structure helps, but a rigid plan tends to crowd out your mentee's own questions.",
                                ),
                                ("Continuity between sessions", True, ""),
                                ("A safe, non-judgemental space", True, ""),
                            ],
                        ),
                        q(
                            SINGLE,
                            "What is a simple way to build continuity between sessions?",
                            "A two-line note of what each of you will do before next time is enough to pick up the thread.",
                            [
                                (
                                    "End with a short note of what you will both do next time",
                                    True,
                                    "Exactly.",
                                ),
                                (
                                    "Start each session from scratch so it feels fresh",
                                    False,
                                    "Without continuity, progress on goals stalls.",
                                ),
                                (
                                    "Set homework and mark it",
                                    False,
                                    "You are not a teacher; agree actions together instead.",
                                ),
                            ],
                        ),
                    ],
                    worksheet="""
**Session check-list.** After each session, tick the ingredients you managed today:

- [ ] We looked at a goal
- [ ] We talked about what my mentee wanted to talk about
- [ ] I pointed to a real opportunity (or how to find one)
- [ ] We agreed what happens before next time
- [ ] My mentee seemed comfortable to be honest
""",
                ),
                m(
                    "How the programme works",
                    5,
                    """
The journey has clear steps, and knowing them helps you explain them to your mentee.

- **Training**: this course (done within 14 days of starting) and a two-hour core workshop.
- **Certificate of achievement**: issued automatically when both are done.
- **Matching**: a coordinator or the programme team matches you, putting the young person's needs
  first. It usually takes 8 to 12 weeks from sign-up to meeting your mentee.
- **First meeting**: arranged and facilitated by the youth partner (the school, college or organisation).
- **Monthly sessions**: one hour a month. Log each session on the platform afterwards.
- **Support**: check-in calls, communities of practice with other mentors, and a monthly bulletin.
- **Closing well**: a planned last session that looks back at what was achieved.
""",
                    [
                        q(
                            SINGLE,
                            "Who arranges your first meeting with your mentee?",
                            "The youth partner knows the young person and sets up a safe, facilitated first meeting.",
                            [
                                ("The youth partner (school, college or organisation)", True, "Right."),
                                (
                                    "You contact the mentee directly",
                                    False,
                                    "You never contact an under-18 mentee directly.",
                                ),
                                (
                                    "The mentee's parents",
                                    False,
                                    "Parents are not responsible for arranging sessions.",
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Your first meeting",
            [
                m(
                    "Preparing for your first meeting",
                    5,
                    """
Your mentee is probably more nervous than you are. Many young people tell us they did not know what to
expect. You can take the pressure off.

- Read your mentee's profile: their interests, the career or subject they are curious about, and what
  support they asked for.
- Prepare a **short** introduction about yourself: your job in plain words, one thing you found hard at
  their age, and why you volunteered.
- Have two or three open questions ready ("What are you enjoying at the moment?"), not a script.
- Agree practicalities with the coordinator: room, time, who else will be present.
""",
                    [
                        q(
                            SCENARIO,
                            "Your mentee barely speaks in the first ten minutes of your first meeting. What do you do?",
                            "Quiet is normal at first. Lowering the stakes with something easy, and sharing a little about yourself, usually opens things up.",
                            [
                                (
                                    "Share a little about yourself and ask an easy, open question",
                                    True,
                                    "Good: you model openness and make it easy to reply.",
                                ),
                                (
                                    "Tell the coordinator the match is not working",
                                    False,
                                    "Far too early: give the relationship at least three sessions.",
                                ),
                                (
                                    "Fill the hour with advice so there is no silence",
                                    False,
                                    "A lecture makes it harder for your mentee to join in.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "Building rapport without shared interests",
                    7,
                    """
Shared interests make a good ice-breaker, but mentors consistently say rapport does **not** depend on
them. Being different can even open both your minds.

**What builds rapport**

- **Curiosity.** Ask about their world: a game, a music scene, a part-time job. Let them teach you.
- **Honesty.** Share a time you struggled or did not know the answer.
- **Reliability.** Turn up on time, every time, and remember what they told you last month.
- **Patience.** Connections grow over sessions. If after the third session it still is not working,
  talk to the programme team for advice.
""",
                    [
                        q(
                            SINGLE,
                            "Your mentee loves a video game you have never played. What is a good response?",
                            "Curiosity about their world is one of the quickest ways to build rapport, shared interest or not.",
                            [
                                (
                                    "Ask them to explain what they like about it",
                                    True,
                                    "Yes: let them be the expert.",
                                ),
                                (
                                    "Steer back to careers, as games are off-topic",
                                    False,
                                    "You miss a chance to connect and learn what motivates them.",
                                ),
                                (
                                    "Pretend you play it too",
                                    False,
                                    "Pretending damages trust once it is noticed.",
                                ),
                            ],
                        ),
                        q(
                            SINGLE,
                            "When should you ask the programme team for advice if you and your mentee are not clicking?",
                            "Give it time: relationships often strengthen over the first few sessions. After about three, ask for help.",
                            [
                                ("After around the third session", True, ""),
                                (
                                    "Straight after the first session",
                                    False,
                                    "Too early: most pairs need time.",
                                ),
                                (
                                    "Never: it is up to you to fix it",
                                    False,
                                    "Asking for support is part of the programme.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "Agreeing how you will work together",
                    5,
                    """
A short, informal agreement in the first or second session avoids misunderstandings later.

Agree together:

- **When and how** you will meet (one hour a month; online or at the youth partner's premises).
- **What each of you hopes for** from the relationship.
- **How to let each other know** if a session must move (for under-18s, always through the coordinator).
- **Confidentiality and its limit**: what is said stays between you, *unless* someone may be at risk of
  harm. Say this plainly at the start so a later disclosure is not a surprise.
""",
                    [
                        q(
                            SINGLE,
                            "What should you say about confidentiality at the start?",
                            "Being clear about the limit of confidentiality from the start means your mentee is never misled.",
                            [
                                (
                                    "What we discuss stays between us unless someone may be at risk of harm",
                                    True,
                                    "Exactly the right message.",
                                ),
                                (
                                    "Everything you tell me stays secret, whatever it is",
                                    False,
                                    "You cannot promise that: you must pass on risk of harm.",
                                ),
                                (
                                    "I will report our conversations to your school",
                                    False,
                                    "That would undermine trust; only safeguarding concerns are passed on.",
                                ),
                            ],
                        ),
                    ],
                    worksheet="""
**Our mentoring agreement**

- We will meet on: ____________ at/through: ____________
- I hope mentoring will help me with: ____________
- My mentor hopes to: ____________
- If a session has to move we will: ____________
- We understand that what we discuss is private unless someone may be at risk of harm.
""",
                ),
            ],
        ),
        (
            "Key attributes",
            [
                m(
                    "Active listening",
                    6,
                    """
Listening is the skill mentees value most. Active listening means showing you have understood.

- **Give full attention**: camera on for online sessions, phone away.
- **Reflect back**: "So the bit that worries you is the interview, not the job itself?"
- **Ask open questions**: what, how, tell me about. Avoid "why did you..." which can sound like blame.
- **Allow silence**: count to five before filling it.
- **Summarise** at the end of a topic, and check you have it right.
""",
                    [
                        q(
                            MULTIPLE,
                            "Which of these are active listening? Choose all that apply.",
                            "Reflecting back, open questions and allowing silence all show you are listening. Jumping to solutions does not.",
                            [
                                ("Reflecting back what you heard", True, ""),
                                ("Asking open questions", True, ""),
                                (
                                    "Offering your solution as soon as the problem is clear",
                                    False,
                                    "Solutions come after understanding, and often from the mentee.",
                                ),
                                ("Allowing a pause before you speak", True, ""),
                            ],
                        ),
                    ],
                ),
                m(
                    "Boundaries: mentoring, not counselling",
                    7,
                    """
Mentees sometimes bring worries about exams, family, friendships or mental health. Listening kindly is
right. Trying to treat or fix deep personal problems is not your role, and can do harm.

**Where the line is**

- You can **listen**, acknowledge feelings, and help your mentee think about who could help.
- You should **not** diagnose, give therapy, or become the only person they rely on.
- Signpost: the coordinator, school pastoral staff, GP, or services such as Childline (0800 1111) and
  Samaritans (116 123).
- If anything suggests a risk of harm, it is no longer a boundary question: follow the disclosure steps
  in module 17.
""",
                    [
                        q(
                            SCENARIO,
                            "Your mentee says exam stress is making them sleep badly and they feel low most days. What do you do?",
                            "Listen, take it seriously, and help them reach people who can give proper support. Pass on any risk of harm.",
                            [
                                (
                                    "Listen, acknowledge it, and talk about who could help, such as pastoral staff or their GP",
                                    True,
                                    "Yes: supportive, and within your role.",
                                ),
                                (
                                    "Offer weekly calls to work through their feelings",
                                    False,
                                    "That moves into counselling, and outside the programme's safe channels.",
                                ),
                                (
                                    "Change the subject back to career goals",
                                    False,
                                    "Ignoring it can leave them feeling unheard.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "A safe, non-judgemental space",
                    5,
                    """
Young people open up when they do not fear being judged. Many have already had adults react with
disappointment.

- Respond to mistakes with curiosity: "What happened? What would you try next time?"
- Keep your own views on lifestyle, politics or religion out of the conversation.
- Be aware of your assumptions about background, school or neighbourhood.
- Celebrate small steps, not just big results.
""",
                    [
                        q(
                            SINGLE,
                            "Your mentee admits they missed a deadline for a college application. What is the best response?",
                            "Curiosity and a practical next step keep the space safe and keep things moving.",
                            [
                                (
                                    "Ask what got in the way and what they could do now",
                                    True,
                                    "Good: no blame, and forward-looking.",
                                ),
                                (
                                    "Tell them they have let themselves down",
                                    False,
                                    "Judgement makes it less likely they tell you next time.",
                                ),
                                (
                                    "Say it does not matter at all",
                                    False,
                                    "Brushing it off misses a chance to plan a next step.",
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Practical skills",
            [
                m(
                    "Setting and tracking goals",
                    8,
                    """
Goals give sessions a direction. Aim for **two to four** goals, a mix of short term (this month) and long
term (this year). Goals belong to your mentee: help them phrase their own.

**Making a goal usable**

- Specific: "Find out what an apprenticeship in engineering involves" beats "think about careers".
- A first step small enough for the next month.
- A way to tell it has happened.

**If your mentee is unsure what they want**, that is a goal in itself: "Try out three ideas and say
which one interests me most". Record goals on the platform and look at them at the start of each
session.
""",
                    [
                        q(
                            SINGLE,
                            "Which is the most usable goal?",
                            "It is specific, has a clear first step and you can tell when it is done.",
                            [
                                (
                                    "Speak to two people who work in nursing before our next session",
                                    True,
                                    "Specific and checkable.",
                                ),
                                (
                                    "Be more confident",
                                    False,
                                    "Important, but too vague to act on as written.",
                                ),
                                ("Get a good job", False, "A long-term hope: break it into steps."),
                            ],
                        ),
                        q(
                            SCENARIO,
                            'Your mentee says: "I don\'t know what I want to do, so goals are pointless." What do you do?',
                            "Not knowing is common. Exploring options is a valid and useful goal.",
                            [
                                (
                                    "Suggest a goal of exploring a few options and choosing one to find out more about",
                                    True,
                                    "Yes: exploration is progress.",
                                ),
                                (
                                    "Choose a career for them based on their grades",
                                    False,
                                    "The goal must belong to your mentee.",
                                ),
                                (
                                    "Agree to skip goals",
                                    False,
                                    "Goal setting is one of the five key ingredients.",
                                ),
                            ],
                        ),
                    ],
                    worksheet="""
**Goal tracker**

| Goal | First step | By when | Done? |
| --- | --- | --- | --- |
| | | | |
| | | | |
""",
                ),
                m(
                    "Tailoring content and keeping it age-appropriate",
                    6,
                    """
A 14-year-old at school and a 24-year-old graduate need very different sessions.

- Ask what they want from today. Bring ideas, but let them choose.
- Keep examples, language and humour suitable for their age. No alcohol, adult content or
  inappropriate stories, even in jest.
- Use resources made for their stage: school subject choices, college courses, apprenticeships, first
  CVs, interview practice.
- Check understanding rather than assuming: "Have you come across that before?"
""",
                    [
                        q(
                            SINGLE,
                            "You are mentoring a 15-year-old. Which activity suits them best?",
                            "It matches their stage and keeps the content appropriate.",
                            [
                                (
                                    "Exploring which GCSE or post-16 options lead to the careers they are curious about",
                                    True,
                                    "",
                                ),
                                (
                                    "Discussing your company's after-work drinks culture",
                                    False,
                                    "Not age-appropriate.",
                                ),
                                ("Reviewing a mortgage application", False, "Not relevant to their stage."),
                            ],
                        ),
                    ],
                ),
                m(
                    "Continuity between sessions",
                    4,
                    """
A month is a long time for a teenager. Continuity holds the relationship together.

- In the last five minutes, agree one thing each of you will do before next time.
- Write a two-line note in your session log on the platform.
- Start the next session by asking how it went.
- Keep to the agreed date. If something must change, tell the coordinator early.
""",
                    [
                        q(
                            SINGLE,
                            "What is the first thing to do in a new session?",
                            "Returning to last month's actions shows you remembered and keeps progress going.",
                            [
                                ("Ask how the actions agreed last time went", True, ""),
                                (
                                    "Start a new topic you have prepared",
                                    False,
                                    "You lose the thread from last time.",
                                ),
                                ("Check their school report", False, "Not your role."),
                            ],
                        ),
                    ],
                ),
                m(
                    "One-to-two mentoring",
                    6,
                    """
Some programmes pair one mentor with two mentees. It can build confidence, but mentors say it is harder.

**Common challenges**: different needs and confidence levels; one mentee dominating; peer influence.

**What works**

- Give each mentee **equal attention**: some mentors split the hour into two half-hour slots.
- Set individual goals for each mentee, even if you meet together.
- Agree ground rules together: listening to each other, keeping what is shared private.
- If it is not working for one of them, raise it with the coordinator.
""",
                    [
                        q(
                            SCENARIO,
                            "In a one-to-two session, one mentee answers every question and the other goes quiet. What do you do?",
                            "Equal attention matters. Directing questions and giving each person their own time keeps both involved.",
                            [
                                (
                                    "Direct some questions to the quieter mentee and consider giving each of them time on their own",
                                    True,
                                    "Good: it balances the session.",
                                ),
                                (
                                    "Let the confident mentee lead, as they are engaged",
                                    False,
                                    "The quieter mentee loses out.",
                                ),
                                (
                                    "End the one-to-two arrangement straight away",
                                    False,
                                    "Try adjusting first, and talk to the coordinator if it continues.",
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Social action",
            [
                m(
                    "Opening doors within safeguarding limits",
                    7,
                    """
Real-world opportunities are one of the five key ingredients: a workplace visit, a conversation with a
professional, work experience, a taster event.

**For under-18s** safeguarding limits direct access, so you guide rather than arrange on your own:

- Share public information: open days, insight programmes, apprenticeship sites.
- Propose opportunities **through the coordinator**, who decides and arranges them safely.
- Never invite a mentee to your workplace or an event without the youth partner's agreement.

**For over-18s** who agree to share contact details, you can make introductions directly, keeping
them professional.
""",
                    [
                        q(
                            SCENARIO,
                            "Your 16-year-old mentee wants to see where you work. What do you do?",
                            "Opportunities for under-18s go through the coordinator, who can arrange them safely.",
                            [
                                (
                                    "Suggest it to the coordinator, who decides and arranges it with the youth partner",
                                    True,
                                    "Yes.",
                                ),
                                (
                                    "Invite them to come in next Saturday",
                                    False,
                                    "Never arrange this directly with an under-18.",
                                ),
                                (
                                    "Refuse: workplace visits are never allowed",
                                    False,
                                    "They can happen, when the youth partner arranges them.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "Building networks and social capital",
                    5,
                    """
Many mentees do not know anyone they could call for advice about work. Helping them build a network
is one of the most lasting things you can do.

- Explain how people find jobs: many roles are filled through contacts and speculative approaches.
- Practise a short introduction: who I am, what I am interested in, what I would like to ask.
- For over-18s, help them set up a professional profile and write a polite first message.
- Encourage them to list the adults they already know who could help.
""",
                    [
                        q(
                            SINGLE,
                            "Which activity best helps a mentee build their network?",
                            "Practising how to introduce themselves makes it easier for them to approach people.",
                            [
                                (
                                    "Practising a short introduction they could use with a professional",
                                    True,
                                    "",
                                ),
                                (
                                    "Giving them your personal phone number",
                                    False,
                                    "Contact with under-18s goes through the coordinator.",
                                ),
                                (
                                    "Telling them networks are only for graduates",
                                    False,
                                    "Networks matter at every stage.",
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Introduction to safeguarding",
            [
                m(
                    "Keeping everyone safe",
                    8,
                    """
Safeguarding protects young people and protects you.

- **Contact**: under-18 mentees are contacted only through the coordinator at their institution. Over-18s
  may share email or a professional profile if they agree. Never use personal social media.
- **Where to meet**: online, at the youth partner's premises, or (over-18s) somewhere public such as a
  library or your workplace. Never at either person's home.
- **Gifts and hospitality**: follow the programme's policy. Small tokens may be fine; anything that could
  look like an obligation is not.
- **Conduct**: the programme may end a mentor's role for conduct below the expected standard or for any
  breach of safeguarding guidelines.
""",
                    [
                        q(
                            MULTIPLE,
                            "Which of these are safe places to meet a 17-year-old mentee? Choose all that apply.",
                            "Under-18 sessions take place online or at the youth partner's premises, never at homes.",
                            [
                                ("An online session set up through the programme", True, ""),
                                ("A room at their school or college", True, ""),
                                (
                                    "Your home, if a parent agrees",
                                    False,
                                    "Never meet at either person's home.",
                                ),
                                (
                                    "A café you choose, without telling the coordinator",
                                    False,
                                    "Under-18 sessions are arranged through the youth partner.",
                                ),
                            ],
                        ),
                        q(
                            SINGLE,
                            "How do you contact an under-18 mentee to move a session?",
                            "All contact with under-18s goes through the coordinator.",
                            [
                                ("Through the coordinator at their institution", True, ""),
                                ("By text message", False, "You should not hold an under-18's number."),
                                ("Through social media", False, "Never use personal social media."),
                            ],
                        ),
                    ],
                ),
                m(
                    "What to do on a disclosure",
                    8,
                    """
A disclosure is when a young person tells you something suggesting they, or someone else, may be at risk
of harm: abuse, neglect, self-harm, or harming others.

**In the moment**

1. Stay calm and listen. Let them talk; do not ask leading questions or investigate.
2. Do **not** promise to keep it secret. Explain you must pass it on to people who can help.
3. Reassure them they were right to tell you.

**Straight away afterwards**

4. Tell the **Designated Safeguarding Lead (DSL)** at their institution, or the coordinator. If there is
   no youth partner, contact the programme's DSL. Use the platform's "raise a concern" form, the same day.
5. Write down what was said, in their words, with the date and time. Facts, not opinions.
6. If someone is in immediate danger, call 999.

Do not discuss it with anyone else.
""",
                    [
                        q(
                            SCENARIO,
                            'Your mentee says: "I\'ll tell you something if you promise not to tell anyone." What do you say?',
                            "You can never promise secrecy. Being honest up front means your mentee chooses knowing what will happen.",
                            [
                                (
                                    "Explain you can't promise that: if someone might be at risk you must tell people who can help",
                                    True,
                                    "Right: honest and caring.",
                                ),
                                (
                                    "Promise, so that they tell you",
                                    False,
                                    "You would have to break the promise, damaging trust.",
                                ),
                                (
                                    "Refuse to listen",
                                    False,
                                    "They may need help; listen and be honest about what you will do.",
                                ),
                            ],
                        ),
                        q(
                            SINGLE,
                            "After a disclosure, who do you tell first?",
                            "The institution's DSL (or the coordinator); if there is no youth partner, the programme's DSL. Call 999 if anyone is in immediate danger.",
                            [
                                ("The Designated Safeguarding Lead at their institution", True, ""),
                                (
                                    "The mentee's parents",
                                    False,
                                    "Parents may be involved; the DSL decides who is told.",
                                ),
                                (
                                    "Nobody, unless it happens again",
                                    False,
                                    "Every disclosure must be passed on the same day.",
                                ),
                            ],
                        ),
                    ],
                    worksheet="""
**If a mentee discloses: keep this by you**

1. Listen calmly. Don't investigate or promise secrecy.
2. Tell the DSL at their institution (or the coordinator) the same day. No youth partner: the programme's DSL.
3. Write down their words, the date and time.
4. Immediate danger: call 999.
""",
                ),
            ],
        ),
    ],
}

LEVEL_TWO = {
    "slug": "level-two-practical-matters",
    "title": "Level Two: Practical Matters",
    "audience": "mentor",
    "is_mandatory": False,
    "order": 2,
    "summary": "Hands-on help with the things mentees ask about most: CVs and applications, interviews, and making the most of a workplace visit.",
    "sections": [
        (
            "Helping with applications",
            [
                m(
                    "First CVs and personal statements",
                    8,
                    """
A first CV is mostly about potential. Help your mentee find evidence in school, hobbies, caring
responsibilities, part-time work and volunteering.

- One page, plain layout, contact details at the top (for under-18s, never shared with you directly).
- Each line starts with a verb: organised, led, built, looked after.
- For personal statements, one clear reason for choosing the course, backed by an example.

Let them write it; you ask questions and suggest. A CV written by a mentor does not sound like the mentee.
""",
                    [
                        q(
                            SINGLE,
                            "What is the best way to help with a CV?",
                            "The mentee should own the CV; your questions help them find the evidence.",
                            [
                                (
                                    "Ask questions that help them find examples, then let them write it",
                                    True,
                                    "",
                                ),
                                (
                                    "Write it for them so it is polished",
                                    False,
                                    "It will not sound like them, and they learn less.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "Interview practice",
                    8,
                    """
Practice interviews turn fear into preparation.

- Agree the type of interview (college, apprenticeship, part-time job) and two or three likely questions.
- Practise the STAR shape: situation, task, action, result.
- Give feedback: one thing that went well, one thing to try differently.
- Online sessions work well for this: you can practise video interviews too.
""",
                    [
                        q(
                            SINGLE,
                            "What feedback approach helps most after a practice interview?",
                            "Specific, balanced feedback gives confidence and a clear next step.",
                            [
                                ("One thing that went well and one thing to try differently", True, ""),
                                (
                                    "A full list of everything that went wrong",
                                    False,
                                    "Too much at once; it knocks confidence.",
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Opportunities",
            [
                m(
                    "Making the most of a workplace visit",
                    6,
                    """
When the youth partner arranges a visit, a little preparation makes it count.

- Before: agree two questions your mentee wants answered.
- During: introduce them to colleagues in different roles, including recent starters.
- After: talk about what surprised them and whether it changes their goals.
""",
                    [
                        q(
                            SINGLE,
                            "Who arranges a workplace visit for an under-18 mentee?",
                            "Visits for under-18s are arranged by the youth partner.",
                            [
                                ("The youth partner, with you", True, ""),
                                ("You, directly with the mentee", False, "Never directly with an under-18."),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
}

LEVEL_THREE = {
    "slug": "level-three-learning-matters",
    "title": "Level Three: Learning Matters",
    "audience": "mentor",
    "is_mandatory": False,
    "order": 3,
    "summary": "For experienced mentors: reflecting on your practice and closing a relationship well.",
    "sections": [
        (
            "Reflective practice",
            [
                m(
                    "Reflecting on your sessions",
                    6,
                    """
Ten minutes of reflection after a session improves the next one.

- What went well, and why?
- When did my mentee seem most engaged?
- Did we touch all five key ingredients?
- What will I do differently next time?

Bring your reflections to the communities of practice: other mentors have usually met the same problem.
""",
                    [
                        q(
                            SINGLE,
                            "Where can you share and compare experiences with other mentors?",
                            "Communities of practice bring mentors together to share what works.",
                            [
                                ("Communities of practice", True, ""),
                                (
                                    "Your mentee's class group chat",
                                    False,
                                    "Never; that would breach privacy and safeguarding.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "Closing a relationship well",
                    6,
                    """
Endings matter as much as beginnings, especially for young people who have had unplanned endings.

- Mention the end date from a few sessions before.
- Use the last session to look back at goals achieved and skills gained.
- Help your mentee name who else they can go to for advice.
- Complete the closing record with recommendations for their next steps.
""",
                    [
                        q(
                            SINGLE,
                            "When should you start talking about the end of the relationship?",
                            "Preparing a few sessions ahead avoids an abrupt ending.",
                            [
                                ("A few sessions before the end", True, ""),
                                ("Only in the final session", False, "Too abrupt for many young people."),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
}

MENTEE_INDUCTION = {
    "slug": "mentee-induction",
    "title": "Getting ready for mentoring",
    "audience": "mentee",
    "is_mandatory": True,
    "order": 1,
    "summary": "A short introduction for young people starting mentoring: what it is, what to expect, setting goals, staying safe and who to contact. About 20 minutes.",
    "sections": [
        (
            "Welcome",
            [
                m(
                    "What mentoring is",
                    4,
                    """
Your mentor is a volunteer: an adult with a job or career behind them, who wants to help you think
about your future. They give up one hour a month, for up to a year, because they want to.

A mentor is **not** a teacher and will not give you homework. They will listen, ask questions, share
what they have learned, and help you find opportunities.
""",
                    [
                        q(
                            SINGLE,
                            "What is a mentor?",
                            "Mentors are volunteers who listen, share experience and help you find opportunities.",
                            [
                                ("A volunteer who helps you think about your future", True, ""),
                                ("A teacher who sets homework", False, "Mentors do not set homework."),
                            ],
                        ),
                    ],
                ),
                m(
                    "What to expect",
                    4,
                    """
- Your coordinator at school, college or your organisation arranges your first meeting.
- You meet for about one hour a month, online or at your school or college.
- The first session is mostly getting to know each other. It is fine to feel nervous: so does your mentor.
- Think about what you would like help with. It is fine not to know yet.
""",
                    [
                        q(
                            SINGLE,
                            "Who arranges your first meeting?",
                            "Your coordinator sets it up.",
                            [
                                ("Your coordinator", True, ""),
                                (
                                    "You have to find your mentor yourself",
                                    False,
                                    "Your coordinator arranges it.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "Setting goals",
                    5,
                    """
Goals are things you want to work towards, big or small. Your mentor will help you set two to four.

Examples: "find out what a nursing degree involves", "practise for my college interview", "feel more
confident speaking in class". A good goal has a first step you can do this month.
""",
                    [
                        q(
                            SINGLE,
                            "Which is a good first step towards a goal?",
                            "A good first step is small and clear.",
                            [
                                ("Look up two colleges that offer the course I like", True, ""),
                                ("Become rich", False, "That is a hope, not a first step."),
                            ],
                        ),
                    ],
                    worksheet="""
**My goals**

1. ____________  First step: ____________
2. ____________  First step: ____________
""",
                ),
            ],
        ),
        (
            "Staying safe",
            [
                m(
                    "Staying safe",
                    4,
                    """
- If you are under 18, your mentor contacts you only through your coordinator. They should never ask
  for your phone number or message you on social media.
- You meet online or at your school or college, never at someone's home.
- Your mentor keeps what you say private, **unless** they are worried someone may be at risk of harm.
  Then they must tell the safeguarding lead so you can get help.
- If anything makes you uncomfortable, tell your coordinator.
""",
                    [
                        q(
                            SCENARIO,
                            "Your mentor asks to follow you on social media. What do you do?",
                            "Mentors should not use personal social media with mentees. Telling your coordinator keeps everyone safe.",
                            [
                                ("Say no and tell your coordinator", True, ""),
                                (
                                    "Accept, it seems friendly",
                                    False,
                                    "Contact should go through the programme.",
                                ),
                            ],
                        ),
                    ],
                ),
                m(
                    "Who to contact",
                    3,
                    """
- **Your coordinator** at your school, college or organisation: for anything about sessions.
- **The designated safeguarding lead (DSL)**: if you are worried about your safety or someone else's.
- **The programme team**: if you cannot reach your coordinator.
- If you need to talk to someone now: **Childline 0800 1111** (free, any time). In an emergency call **999**.
""",
                    [
                        q(
                            SINGLE,
                            "Who should you talk to if you are worried about your safety?",
                            "The DSL, or your coordinator, can get you help. In an emergency call 999.",
                            [
                                ("The designated safeguarding lead or your coordinator", True, ""),
                                ("Nobody", False, "Please always tell someone."),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
}

COURSES = [LEVEL_ONE, LEVEL_TWO, LEVEL_THREE, MENTEE_INDUCTION]
