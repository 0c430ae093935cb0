"""TTS engines behind one small interface (``base.Provider``)."""
