// Readings as a person types them and as a lexicon stores them: tone-marked pinyin ("lè sè",
// what the preview shows) to the tone-number form lexicons take ("le4 se4", Google's form,
// neutral 5), and which alphabet a typed reading is in.

// Each tone-marked vowel as its plain letter and tone.
const MARKED = {};
for (const [plain, marks] of [["a", "āáǎà"], ["e", "ēéěè"], ["i", "īíǐì"], ["o", "ōóǒò"], ["u", "ūúǔù"], ["ü", "ǖǘǚǜ"], ["n", "\u0144ňǹ"], ["m", "ḿ"]]) {
  // ń has no first tone form, ḿ only the second: each mark's index is its tone minus one.
  [...marks].forEach((mark, i) => (MARKED[mark] = [plain, plain === "n" ? i + 2 : plain === "m" ? 2 : i + 1]));
}

function numberedSyllable(syllable) {
  let tone = 5; // no mark: the neutral tone
  const plain = [...syllable.normalize("NFC")].map((c) => {
    const found = MARKED[c.toLowerCase()];
    if (!found) return c;
    tone = found[1];
    return c === c.toLowerCase() ? found[0] : found[0].toUpperCase();
  }).join("");
  return /[1-5]$/.test(plain) ? plain : `${plain}${tone}`;
}

// "lè sè" → "le4 se4"; a reading that already has tone numbers is kept as it is.
export function numberedPinyin(marked) {
  return (marked || "").trim().split(/\s+/).filter(Boolean).map(numberedSyllable).join(" ");
}

const BOPOMOFO = /[\u3100-\u312f\u31a0-\u31bf]/;
const TONE_NUMBERED = /^[a-zü:v]+[1-5](\s+[a-zü:v]+[1-5])*$/i;

// What a typed reading is: Bopomofo, pinyin with tone numbers, or else an alias (other text to
// say in its place). A lexicon entry needs to know which.
export function kindOf(reading) {
  const text = reading.trim();
  if (BOPOMOFO.test(text)) return "bopomofo";
  if (TONE_NUMBERED.test(text)) return "pinyin";
  return "alias";
}

// A lexicon entry for a grapheme from a typed reading of a given kind.
export function entryFor(grapheme, reading, kind) {
  const said = reading.trim();
  return kind === "alias" ? { grapheme, alias: said } : { grapheme, phoneme: said, alphabet: kind };
}

// Han characters: where a word's syllables can be put one over each character.
export const isHan = (c) => /\p{Script=Han}/u.test(c);
