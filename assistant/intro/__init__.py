"""Introduction for new politicians: role map, glossary and starter questions from the corpus."""
