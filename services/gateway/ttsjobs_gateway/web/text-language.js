// @ts-check
// The language of a job's text as a BCP 47 tag, for its captions track (srclang) and the caption
// line's lang: Chinese by its script (zh-Hant, zh-Hans), Japanese and Korean by theirs, and any
// other text by the language of the voice that reads it, from the catalogue.
import { readersOf, turnsOf } from "./job-request.js";

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job  the job as GET answers it */

// Common characters written differently in the two scripts, in each form: a sentence or two
// holds some. Forms both scripts use (后, 里, 只) are left out: they tell nothing.
const TRADITIONAL = "們個這來說為會時國學對過還點頭開關無經發問話書長東車門見進動現實當從認機兩聽覺種樣讓電應變與邊聲氣愛業區記設處員號雙難熱華結節網語讀請議論計證識買賣錢錯陽隊雖飛館馬魚鳥龍歡謝嗎燒總黃產廣";
const SIMPLIFIED = "们个这来说为会时国学对过还点头开关无经发问话书长东车门见进动现实当从认机两听觉种样让电应变与边声气爱业区记设处员号双难热华结节网语读请议论计证识买卖钱错阳队虽飞馆马鱼鸟龙欢谢吗烧总黄产广";

const count = (text, pattern) => (text.match(pattern) || []).length;

export function chineseScript(text, reading = null) {
  const traditional = [...text].filter((c) => TRADITIONAL.includes(c)).length;
  const simplified = [...text].filter((c) => SIMPLIFIED.includes(c)).length;
  if (traditional !== simplified) return traditional > simplified ? "zh-Hant" : "zh-Hans";
  // Text with no telling character: the reading standard the job chose says which readers it is for.
  return reading === "taiwan" ? "zh-Hant" : reading === "mainland" ? "zh-Hans" : "zh";
}

// `voiceLanguage(voiceId)` gives a voice's language from the catalogue, or null.
/** @param {Job} job @param {(voiceId: string) => string | null} [voiceLanguage] */
export function textLanguage(job, voiceLanguage = () => null) {
  const turns = turnsOf(job);
  const readers = readersOf(job, "");
  const text = turns.map((turn) => turn.text).join("\n");
  const han = count(text, /\p{Script=Han}/gu);
  const kana = count(text, /[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const hangul = count(text, /\p{Script=Hangul}/gu);
  if (kana > 0 && kana + han >= hangul) return "ja";
  if (hangul > han) return "ko";
  if (han > 0) {
    const readings = readers.map(([, a]) => a.reading);
    return chineseScript(text, readings.find(Boolean) ?? null);
  }
  const first = job.single ? job.single : Object.fromEntries(readers)[turns[0]?.speaker ?? ""];
  return (first && voiceLanguage(first.voice)) || "und";
}
