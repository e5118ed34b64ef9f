package ml.bqx.deployment;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** What a module's pom.xml says it builds: the jar's name, its Main-Class, its dependencies. */
record JobPom(Optional<String> jarName, Optional<String> mainClass, List<Dependency> dependencies) {

  /** One declared dependency and its scope (compile when none is given). */
  record Dependency(String artifactId, String scope) {}

  static JobPom parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc =
          factory
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      Element project = doc.getDocumentElement();
      Optional<Element> build = child(project, "build");
      Optional<String> finalName =
          build.flatMap(b -> child(b, "finalName")).map(Node::getTextContent);
      Optional<String> mainClass = Optional.empty();
      if (build.isPresent()) {
        NodeList mains = build.get().getElementsByTagName("mainClass");
        if (mains.getLength() > 0) {
          mainClass = Optional.of(mains.item(0).getTextContent().trim());
        }
        if (finalName.isEmpty()) {
          NodeList names = build.get().getElementsByTagName("finalName");
          if (names.getLength() > 0) {
            finalName = Optional.of(names.item(0).getTextContent().trim());
          }
        }
      }
      List<Dependency> deps = new ArrayList<>();
      Optional<Element> dependencies = child(project, "dependencies");
      if (dependencies.isPresent()) {
        NodeList list = dependencies.get().getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
          Element dep = (Element) list.item(i);
          deps.add(
              new Dependency(
                  child(dep, "artifactId").map(Node::getTextContent).orElse("").trim(),
                  child(dep, "scope").map(Node::getTextContent).orElse("compile").trim()));
        }
      }
      return new JobPom(finalName.map(n -> n.trim() + ".jar"), mainClass, deps);
    } catch (Exception e) {
      throw new IllegalArgumentException("pom.xml does not parse: " + e.getMessage(), e);
    }
  }

  private static Optional<Element> child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        return Optional.of((Element) n);
      }
    }
    return Optional.empty();
  }
}
