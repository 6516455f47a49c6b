package dev.llmops.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Compares the modules a build publishes with the artifacts its BOM lists. A module is published when its
 * packaging is {@code jar} and {@code maven.deploy.skip} is not {@code true} in it or a parent in the tree.
 */
final class BomCheck {

  private BomCheck() {}

  /** The result: what is published, what the BOM lists, and the differences. */
  record Result(Set<String> published, Set<String> listed) {
    Set<String> missingFromBom() {
      Set<String> missing = new TreeSet<>(published);
      missing.removeAll(listed);
      return missing;
    }

    Set<String> listedButNotPublished() {
      Set<String> extra = new TreeSet<>(listed);
      extra.removeAll(published);
      return extra;
    }
  }

  static Result check(Path root, String bomModule) throws IOException {
    Set<String> published = new TreeSet<>();
    collect(root, null, published);
    Set<String> listed = new TreeSet<>();
    Element bom = parse(root.resolve(bomModule).resolve("pom.xml"));
    Element management = child(bom, "dependencyManagement");
    Element dependencies = management == null ? null : child(management, "dependencies");
    if (dependencies != null) {
      for (Element dependency : children(dependencies, "dependency")) {
        listed.add(text(dependency, "artifactId"));
      }
    }
    return new Result(published, listed);
  }

  private static void collect(Path dir, @Nullable Boolean parentSkips, Set<String> published) throws IOException {
    Element pom = parse(dir.resolve("pom.xml"));
    boolean skips = parentSkips != null && parentSkips;
    Element properties = child(pom, "properties");
    if (properties != null && child(properties, "maven.deploy.skip") != null) {
      skips = Boolean.parseBoolean(text(properties, "maven.deploy.skip"));
    }
    String packaging = child(pom, "packaging") == null ? "jar" : text(pom, "packaging");
    if (packaging.equals("jar") && !skips) {
      published.add(text(pom, "artifactId"));
    }
    Element modules = child(pom, "modules");
    if (modules != null) {
      for (Element module : children(modules, "module")) {
        collect(dir.resolve(module.getTextContent().strip()), skips, published);
      }
    }
  }

  private static Element parse(Path pom) throws IOException {
    if (!Files.isRegularFile(pom)) {
      throw new IllegalArgumentException("no pom.xml at " + pom);
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document document = factory.newDocumentBuilder().parse(pom.toFile());
      return document.getDocumentElement();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalArgumentException("cannot read " + pom + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable Element child(Element parent, String name) {
    for (Element e : children(parent, name)) {
      return e;
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && e.getTagName().equals(name)) {
        result.add(e);
      }
    }
    return result;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    if (e == null) {
      throw new IllegalArgumentException("<" + parent.getTagName() + "> has no <" + name + ">");
    }
    return e.getTextContent().strip();
  }
}
