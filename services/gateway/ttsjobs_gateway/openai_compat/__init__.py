"""OpenAI's audio API on top of ttsjobs' jobs: ``POST /v1/audio/speech`` runs an ordinary
single_tts job and answers with its audio (entrypoints/http_openai.py)."""
