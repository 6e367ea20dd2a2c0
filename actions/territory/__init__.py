"""Territory configuration: communes, mairies, hours, élus, competences (territoire/*.yml)."""
