package dev.llmops.guardrails.content;

import java.util.List;

/** Texts for {@link ToxicityGuard} tests: obfuscated toxic messages with their category, and innocent look-alikes. */
final class ToxicityCorpus {

  private ToxicityCorpus() {}

  /** A toxic text and the category the guard must report for it. */
  record Case(String text, ToxicityCategory category) {}

  static List<Case> toxic() {
    return List.of(
        new Case("fuck this", ToxicityCategory.PROFANITY),
        new Case("FUCK THIS", ToxicityCategory.PROFANITY),
        new Case("what the fuuuuuck", ToxicityCategory.PROFANITY),
        new Case("f.u.c.k you", ToxicityCategory.PROFANITY),
        new Case("f u c k you", ToxicityCategory.PROFANITY),
        new Case("f*ck off", ToxicityCategory.PROFANITY),
        new Case("f**k off", ToxicityCategory.PROFANITY),
        new Case("this is such bullsh*t", ToxicityCategory.PROFANITY),
        new Case("what a sh1tty day", ToxicityCategory.PROFANITY),
        new Case("$hit happens", ToxicityCategory.PROFANITY),
        new Case("that's fücking great", ToxicityCategory.PROFANITY),
        new Case("fu\u0441k", ToxicityCategory.PROFANITY),
        new Case("fu\u200Bck you", ToxicityCategory.PROFANITY),
        new Case("you absolute moron", ToxicityCategory.INSULT),
        new Case("you are an idiot!", ToxicityCategory.INSULT),
        new Case("what an a$$hole", ToxicityCategory.INSULT),
        new Case("shut up you c*nt", ToxicityCategory.INSULT),
        new Case("you're a piece of shit", ToxicityCategory.INSULT),
        new Case("I will kill you", ToxicityCategory.THREAT),
        new Case("i'll kill you tomorrow", ToxicityCategory.THREAT),
        new Case("ill  kill   you", ToxicityCategory.THREAT),
        new Case("I’ll hurt you", ToxicityCategory.THREAT),
        new Case("just go kill yourself", ToxicityCategory.THREAT),
        new Case("kys", ToxicityCategory.THREAT),
        new Case("dirty n1gger", ToxicityCategory.IDENTITY_HATE),
        new Case("f4ggot", ToxicityCategory.IDENTITY_HATE),
        new Case("send me a blowjob video", ToxicityCategory.SEXUAL),
        new Case("I want to kill myself", ToxicityCategory.SELF_HARM),
        new Case("I've been thinking about ending my life", ToxicityCategory.SELF_HARM));
  }

  /** Texts that contain toxic terms inside innocent words, or innocent senses of nearby words. */
  static List<String> innocent() {
    return List.of(
        "The class assignment is due on Friday.",
        "The assassin was caught in Scunthorpe.",
        "Order a cocktail and some grapes.",
        "My therapist recommended a new book.",
        "I passed the assessment with distinction.",
        "We visited Sussex, Essex and Middlesex.",
        "Charles Dickens wrote Great Expectations.",
        "Add shiitake mushrooms to the soup.",
        "The cumulative total was an analysis error.",
        "Fire retardant paint protects the shed.",
        "A Wankel engine has a rotary design.",
        "Press the shift key and the button.",
        "Grab the documents, then assume the position in the queue.",
        "Peacock feathers and a hancock signature.",
        "The Spice Girls and the spick and span kitchen.",
        "Let's assess the bass and the brass sections.",
        "I will find you a good restaurant.",
        "Skill, skull and kill switch are terms in gaming.",
        "Version 3.14.1 fixed the $5 bug, and 1337 users upgraded!",
        "Heck, that was a hell of a game.",
        "The suicide prevention hotline is open all night.");
  }
}
