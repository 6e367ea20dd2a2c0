"""Custom Rasa NLU components of Tchatche (loaded by module path from config.yml).

Importing the package also makes Rasa load its TensorFlow models without a training step
(fast_load.py): the model's graph imports these components before it loads DIET.
"""

from tchatche_nlu import fast_load

fast_load.install()
