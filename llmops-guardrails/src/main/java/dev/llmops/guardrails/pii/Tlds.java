package dev.llmops.guardrails.pii;

import java.util.Locale;
import java.util.Set;

/**
 * A compact list of real top-level domains: every ISO 3166 country code top-level domain delegated in the root
 * zone, the original generic ones and the new generic ones most seen in mail and links. A candidate domain whose
 * last label is not here is not reported, so file names such as {@code notes.txt} or {@code a.b} stay unflagged.
 */
final class Tlds {

  private static final Set<String> COUNTRY = Set.of((
      "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz "
      + "ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk "
      + "fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq "
      + "ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh "
      + "mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk "
      + "pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz "
      + "tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm "
      + "zw").split(" "));

  private static final Set<String> GENERIC = Set.of((
      "com org net edu gov mil int arpa info biz name pro aero coop museum mobi asia tel travel jobs cat post xxx "
      + "app dev page ai blog cloud online site tech store shop xyz top club live news world life today space "
      + "website email digital media agency company solutions services systems network group global center "
      + "design studio art io link click one fun guru expert academy education school university health care "
      + "bank finance money capital law legal consulting marketing social chat video photo photos music games "
      + "game team work works zone city london berlin paris nyc tokyo wiki ltd llc inc gmbh google amazon apple "
      + "microsoft").split(" "));

  private Tlds() {}

  /** Whether {@code label} (any case) is a real top-level domain. */
  static boolean isTld(String label) {
    String l = label.toLowerCase(Locale.ROOT);
    return COUNTRY.contains(l) || GENERIC.contains(l);
  }

  /** Whether {@code label} (any case) is one of the generic top-level domains, which file extensions rarely are. */
  static boolean isGeneric(String label) {
    return GENERIC.contains(label.toLowerCase(Locale.ROOT));
  }
}
