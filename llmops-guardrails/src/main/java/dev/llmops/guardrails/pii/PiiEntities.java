package dev.llmops.guardrails.pii;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The entity type names, as Presidio spells them. The built-in recognizers find the structured types; the
 * others ({@link #PERSON}, {@link #LOCATION}, ...) come from an {@link EntityRecognizer}.
 */
public final class PiiEntities {

  /** An e-mail address whose domain ends in a real top-level domain. */
  public static final String EMAIL_ADDRESS = "EMAIL_ADDRESS";
  /** A telephone number, international or in the national format of one of the configured regions. */
  public static final String PHONE_NUMBER = "PHONE_NUMBER";
  /** A payment card number of 12 to 19 digits that passes the Luhn check. */
  public static final String CREDIT_CARD = "CREDIT_CARD";
  /** An international bank account number with its country's length and valid mod-97 check digits. */
  public static final String IBAN_CODE = "IBAN_CODE";
  /** A US social security number with a possible area, group and serial. */
  public static final String US_SSN = "US_SSN";
  /** An IPv4 or IPv6 address. */
  public static final String IP_ADDRESS = "IP_ADDRESS";
  /** A domain name with a real top-level domain, not part of a URL or e-mail address. */
  public static final String DOMAIN_NAME = "DOMAIN_NAME";
  /** An http(s) or www URL; reported as {@link #DOMAIN_NAME} by a guard whose entities include that but not this. */
  public static final String URL = "URL";
  /** A date, a time, a weekday or a year in a date context. */
  public static final String DATE_TIME = "DATE_TIME";
  /** A US driver's license number; reported only near words such as "license" or "DL". */
  public static final String US_DRIVER_LICENSE = "US_DRIVER_LICENSE";
  /** A person's name (from an {@link EntityRecognizer}). */
  public static final String PERSON = "PERSON";
  /** A place (from an {@link EntityRecognizer}). */
  public static final String LOCATION = "LOCATION";

  /** The types the built-in recognizers find. */
  public static final Set<String> STRUCTURED = Set.of(EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN,
      IP_ADDRESS, DOMAIN_NAME, URL, DATE_TIME, US_DRIVER_LICENSE);

  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9]{0,40}(?:_[A-Z0-9]{1,40}){0,8}");

  private PiiEntities() {}

  /** Whether {@code name} is a well-formed entity type name (UPPER_SNAKE_CASE, at most a few hundred characters). */
  public static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }
}
