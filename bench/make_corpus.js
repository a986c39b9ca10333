// make_corpus.js writes bench/corpus.jsonl: the fixed 1,000-text benchmark corpus.
//
// Texts are English sentences and paragraphs built from templates with a seeded
// PRNG, so the corpus is reproducible and free of licensing questions. Lengths run
// from a few words (~8 tokens) to paragraphs of ~200 tokens; a few sentences per
// paragraph share one topic so paragraphs read like real text rather than word salad.
//
//   node bench/make_corpus.js > bench/corpus.jsonl
import { mulberry32, pick } from './rng.js';

const topics = [
  {
    subjects: ['the city council', 'local residents', 'the transit authority', 'the mayor', 'a group of cyclists', 'the new bus line'],
    verbs: ['approved', 'criticized', 'postponed', 'debated', 'funded', 'redesigned'],
    objects: ['the bike lane on Main Street', 'a plan to extend the tram', 'the parking fees downtown', 'the night bus schedule', 'a budget for pedestrian bridges', 'the renovation of the central station'],
    tails: ['after months of public hearings', 'despite strong opposition', 'before the end of the fiscal year', 'to reduce traffic in the old town', 'following a survey of commuters'],
  },
  {
    subjects: ['the research team', 'a graduate student', 'the laboratory', 'two biologists', 'the observatory', 'an international consortium'],
    verbs: ['measured', 'published', 'replicated', 'questioned', 'observed', 'simulated'],
    objects: ['the growth rate of coral reefs', 'a faint signal from a distant galaxy', 'the effect of sleep on memory', 'protein folding in yeast cells', 'the migration of arctic terns', 'soil bacteria under drought'],
    tails: ['using a new imaging technique', 'with data collected over ten years', 'in a paper that surprised many reviewers', 'although the sample was small', 'and shared the code openly'],
  },
  {
    subjects: ['our support team', 'the customer', 'the billing service', 'my order', 'the delivery driver', 'the store manager'],
    verbs: ['refunded', 'delayed', 'confirmed', 'cancelled', 'replaced', 'tracked'],
    objects: ['the damaged headphones', 'a package sent to the wrong address', 'the monthly subscription', 'an invoice with a duplicate charge', 'the warranty claim for my laptop', 'two pairs of running shoes'],
    tails: ['within three business days', 'without asking for a receipt', 'after I called twice', 'because the item was out of stock', 'as promised in the email'],
  },
  {
    subjects: ['the chef', 'my grandmother', 'the bakery on the corner', 'a food critic', 'the cooking class', 'our neighbor'],
    verbs: ['prepared', 'praised', 'recommended', 'tasted', 'improvised', 'served'],
    objects: ['a lemon tart with almond crust', 'slow-cooked lentil soup', 'fresh bread with rosemary', 'a spicy noodle dish', 'roasted vegetables with tahini', 'a chocolate cake for the party'],
    tails: ['on a rainy Sunday afternoon', 'using only seasonal ingredients', 'for more than forty guests', 'while the kitchen was being repaired', 'with a recipe from an old notebook'],
  },
  {
    subjects: ['the developers', 'the database', 'a junior engineer', 'the deployment script', 'the security audit', 'the open source project'],
    verbs: ['fixed', 'migrated', 'refactored', 'detected', 'benchmarked', 'documented'],
    objects: ['a memory leak in the cache layer', 'the authentication service', 'slow queries on the orders table', 'a race condition in the scheduler', 'the public API for uploads', 'flaky tests in the build pipeline'],
    tails: ['before the release candidate', 'with help from the community', 'after a long night of debugging', 'which cut latency in half', 'and added regression tests'],
  },
  {
    subjects: ['the hiking club', 'a park ranger', 'the tourists', 'my sister', 'the mountain guide', 'a family from Lyon'],
    verbs: ['explored', 'photographed', 'climbed', 'mapped', 'crossed', 'described'],
    objects: ['the glacier above the valley', 'a narrow trail along the cliffs', 'the lake at sunrise', 'an abandoned monastery', 'the forest after the storm', 'a ridge covered in wildflowers'],
    tails: ['in less than a day', 'despite the fog', 'with a borrowed camera', 'before the snow arrived', 'during the long summer holiday'],
  },
];

const shortForms = [
  (t, r) => `${cap(pick(r, t.subjects))} ${pick(r, t.verbs)} ${pick(r, t.objects)}.`,
  (t, r) => `How was ${pick(r, t.objects)} ${pick(r, t.verbs)}?`,
  (t, r) => `Why ${pick(r, t.subjects)} ${pick(r, t.verbs)} it`,
];
const sentence = (t, r) => {
  const forms = [
    () => `${cap(pick(r, t.subjects))} ${pick(r, t.verbs)} ${pick(r, t.objects)} ${pick(r, t.tails)}.`,
    () => `According to ${pick(r, t.subjects)}, ${pick(r, t.objects)} was ${pick(r, t.verbs)} ${pick(r, t.tails)}.`,
    () => `Nobody expected that ${pick(r, t.subjects)} ${pick(r, t.verbs)} ${pick(r, t.objects)}, but it happened ${pick(r, t.tails)}.`,
    () => `${cap(pick(r, t.objects))} was ${pick(r, t.verbs)} by ${pick(r, t.subjects)}.`,
  ];
  return pick(r, forms)();
};
function cap(s) {
  return s[0].toUpperCase() + s.slice(1);
}

function text(r) {
  const t = pick(r, topics);
  const u = r();
  if (u < 0.15) return pick(r, shortForms)(t, r);
  // 1 sentence ~ 15-25 tokens: 1..9 sentences span ~15..200 tokens.
  const n = u < 0.5 ? 1 + Math.floor(r() * 2) : u < 0.85 ? 2 + Math.floor(r() * 4) : 5 + Math.floor(r() * 5);
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(sentence(t, r));
  return parts.join(' ');
}

const r = mulberry32(20240611);
const lines = [];
for (let i = 0; i < 1000; i++) lines.push(JSON.stringify({ id: i, text: text(r) }));
process.stdout.write(lines.join('\n') + '\n');
