// A small glossary of our own for core tests, so they do not depend on the shipped data.
import { GlossarySet } from '../../server/src/core/glossarySet';
import type { Lexicon } from '../../server/src/core/recognizer';

export const fixtureGlossaryText = `
entries:
  - id: jp.jaxa
    kind: agency
    name: Japan Aerospace Exploration Agency
    acronyms: [JAXA]
    ja: 宇宙航空研究開発機構
    country: Japan
    parent: jp.mext
    since: 2003-10-01
    description: Japan's space agency, used here as a test fixture.
  - id: jp.nasda
    kind: agency
    name: National Space Development Agency of Japan
    acronyms: [NASDA]
    country: Japan
    until: 2003-10-01
    successor: jp.jaxa
    description: A former space agency, used here as a test fixture.
  - id: jp.mext
    kind: ministry
    name: Ministry of Education, Culture, Sports, Science and Technology
    acronyms: [MEXT]
    ja: 文部科学省
    country: Japan
    description: A ministry, used here as a test fixture.
  - id: us.artemis
    kind: program
    name: Artemis program
    aliases: [Artemis]
    country: United States
    description: A lunar program, used here as a test fixture.
  - id: treaty.artemis-accords
    kind: agreement
    name: Artemis Accords
    country: International
    description: Principles for space cooperation, used here as a test fixture.
  - id: us.gateway
    kind: facility
    name: Gateway
    aliases: [Lunar Gateway]
    country: International
    description: A planned lunar station, used here as a test fixture.
  - id: int.leo
    kind: term
    name: low Earth orbit
    acronyms: [LEO]
    description: The orbital region close to Earth, used here as a test fixture.
  - id: treaty.japan-us-security
    kind: treaty
    name: Treaty of Mutual Cooperation and Security between Japan and the United States of America
    aliases: [Japan-U.S. Security Treaty, Japan-US Security Treaty]
    ja: 日米安全保障条約
    articles: 10
    country: Japan, United States
    description: The alliance treaty, used here as a test fixture.
  - id: jp.qzss
    kind: system
    name: Quasi-Zenith Satellite System
    acronyms: [QZSS]
    country: Japan
    description: A satellite positioning system, used here as a test fixture.
  - id: int.solar-c
    kind: mission
    name: Solar-C mission
    acronyms: [SOLAR-C]
    description: A solar mission, used here as a test fixture.
`;

export function fixtureLexicon(): Lexicon {
	const set = new GlossarySet();
	const problems = set.addBuiltIn('file:///fixture/glossary.yaml', fixtureGlossaryText);
	if (problems.length) throw new Error(`The fixture glossary is invalid: ${problems.map((problem) => problem.message).join('; ')}`);
	return set.lexicon;
}
